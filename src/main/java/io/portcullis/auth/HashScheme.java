package io.portcullis.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.UnixCrypt;

/**
 * The htpasswd hash formats the gate can verify, one verifier each. The format of an entry is recognised once,
 * when the file is loaded; the verifiers recompute the hash with commons-codec (Apache's own algorithms) and
 * compare it with the stored one in constant time. Everything but bcrypt is {@linkplain #weak() weak}: fast to
 * brute-force once the file leaks, so start-up names the users still on them.
 */
public enum HashScheme {
    BCRYPT("bcrypt", "\\$2[aby]\\$(0[4-9]|[12]\\d|3[01])\\$[./A-Za-z0-9]{53}") {
        @Override
        boolean verify(byte[] password, String stored) {
            return BcryptHash.verify(password, stored);
        }
    },
    /** Apache's MD5 variant, {@code htpasswd -m} (its historical default). */
    APR1_MD5("MD5", "\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}") {
        @Override
        boolean verify(byte[] password, String stored) {
            // the whole stored hash is a valid salt argument: commons-codec reads only "$apr1$<salt>"
            return sameText(Md5Crypt.apr1Crypt(password, stored), stored);
        }
    },
    /** glibc MD5-crypt ({@code openssl passwd -1}); same strength as apr1. */
    MD5_CRYPT("MD5", "\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}") {
        @Override
        boolean verify(byte[] password, String stored) {
            return sameText(Md5Crypt.md5Crypt(password, stored), stored);
        }
    },
    /** {@code htpasswd -s}: unsalted SHA-1, the weakest after plain text. */
    SHA1("SHA-1", "\\{SHA\\}[A-Za-z0-9+/]{27}=") {
        @Override
        boolean verify(byte[] password, String stored) {
            byte[] expected = Base64.getDecoder().decode(stored.substring("{SHA}".length()));
            return MessageDigest.isEqual(DigestUtils.sha1(password), expected);
        }
    },
    /** {@code htpasswd -2}: SHA-256 crypt, 5000 rounds unless the entry says otherwise. */
    SHA256_CRYPT("SHA-256 crypt", "\\$5\\$(rounds=\\d{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}") {
        @Override
        boolean verify(byte[] password, String stored) {
            return sameText(Crypt.crypt(password, stored), stored);
        }
    },
    /** {@code htpasswd -5}: SHA-512 crypt. */
    SHA512_CRYPT("SHA-512 crypt", "\\$6\\$(rounds=\\d{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}") {
        @Override
        boolean verify(byte[] password, String stored) {
            return sameText(Crypt.crypt(password, stored), stored);
        }
    },
    /** {@code htpasswd -d}: traditional DES crypt; only the first 8 password bytes count. */
    DES_CRYPT("DES crypt", "[./0-9A-Za-z]{13}") {
        @Override
        boolean verify(byte[] password, String stored) {
            return sameText(UnixCrypt.crypt(password, stored.substring(0, 2)), stored);
        }
    };

    private final String label;
    private final Pattern format;

    HashScheme(String label, String format) {
        this.label = label;
        this.format = Pattern.compile(format);
    }

    /** What users and operators call it, e.g. "MD5" or "SHA-1". */
    public String label() {
        return label;
    }

    public boolean weak() {
        return this != BCRYPT;
    }

    /** The scheme whose exact format {@code stored} has; nothing for plain text or a damaged entry. */
    public static Optional<HashScheme> of(String stored) {
        for (HashScheme scheme : values()) {
            if (scheme.format.matcher(stored).matches()) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /** True when {@code password} hashes to {@code stored}, which must be in this scheme's format. */
    abstract boolean verify(byte[] password, String stored);

    private static boolean sameText(String computed, String stored) {
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }
}
