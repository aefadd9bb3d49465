package io.portcullis.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * bcrypt as Apache's {@code htpasswd -B} and registry:2 use it: {@code $2y$}, {@code $2a$} and {@code $2b$}
 * accepted, passwords longer than 72 bytes truncated like htpasswd does rather than refused.
 */
public final class BcryptHash {
    public static final int DEFAULT_COST = 10;
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12]\\d|3[01])\\$[./A-Za-z0-9]{53}");
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2Y;
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(null, LongPasswordStrategies.truncate(VERSION));
    private static final BCrypt.Hasher HASHER = BCrypt.with(VERSION, LongPasswordStrategies.truncate(VERSION));

    private BcryptHash() {
    }

    static boolean isBcrypt(String hash) {
        return FORMAT.matcher(hash).matches();
    }

    static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    /** Constant-time in the password (the library compares the full hash); costs what the hash's cost says. */
    public static boolean verify(byte[] password, String hash) {
        return VERIFYER.verify(password, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    }

    public static String hash(byte[] password, int cost) {
        return new String(HASHER.hash(cost, password), StandardCharsets.US_ASCII);
    }
}
