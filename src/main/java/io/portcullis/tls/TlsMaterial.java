package io.portcullis.tls;

import io.portcullis.base.UserError;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A server's private key with its certificate chain (leaf first), checked to belong together. */
public final class TlsMaterial {
    public static final String CERT_FLAG = "--cert";
    public static final String KEY_FLAG = "--key";
    public static final String PASSWORD_FLAG = "--key-password-file";

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private TlsMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * For material that did not come from files (generated, or in tests).
     *
     * @throws IllegalArgumentException when the chain is empty or the key does not match its first certificate
     */
    public static TlsMaterial of(PrivateKey privateKey, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        if (!KeyPairCheck.matches(privateKey, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("private key does not match certificate " + chain.get(0).getSubjectX500Principal());
        }
        return new TlsMaterial(privateKey, chain);
    }

    /**
     * Reads a PEM certificate chain and a PEM private key; both may be the same file.
     *
     * @param keyPassword null when the key is not encrypted
     * @throws UserError for anything the operator has to fix; the message names the file
     */
    public static TlsMaterial load(Path certFile, Path keyFile, char[] keyPassword) {
        PemFile certPem = new PemFile("certificate file", CERT_FLAG, certFile);
        PemFile keyPem = new PemFile("key file", KEY_FLAG, keyFile);
        List<Object> certObjects = certPem.readObjects();
        List<Object> keyObjects = certFile.equals(keyFile) ? certObjects : keyPem.readObjects();

        List<X509Certificate> chain = certificates(certPem, certObjects);
        PrivateKey key = PrivateKeyDecoder.decode(keyPem, keyObjects, keyPassword);
        if (KeyPairCheck.signatureAlgorithm(key) == null) {
            throw new UserError(keyPem.describe() + " holds a " + key.getAlgorithm() + " key, which cannot be served; use an RSA or EC key");
        }
        if (!KeyPairCheck.matches(key, chain.get(0).getPublicKey())) {
            throw new UserError(mismatch(certPem, keyPem, key, chain));
        }
        return new TlsMaterial(key, chain);
    }

    private static String mismatch(PemFile certPem, PemFile keyPem, PrivateKey key, List<X509Certificate> chain) {
        for (int i = 1; i < chain.size(); i++) {
            if (KeyPairCheck.matches(key, chain.get(i).getPublicKey())) {
                return "private key in " + keyPem.path() + " matches certificate number " + (i + 1) + " in " + certPem.path()
                        + ", but the server's own certificate must come first; reorder the file (leaf first, then intermediates)";
            }
        }
        return "private key in " + keyPem.path() + " does not match the certificate in " + certPem.path()
                + " (" + chain.get(0).getSubjectX500Principal().getName() + "); set " + CERT_FLAG + " and " + KEY_FLAG
                + " to a certificate and the key it was issued for";
    }

    private static List<X509Certificate> certificates(PemFile file, List<Object> objects) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder) {
                try {
                    chain.add(converter.getCertificate((X509CertificateHolder) o));
                } catch (CertificateException e) {
                    throw new UserError(file.describe() + " contains a certificate that cannot be decoded; replace it with a valid PEM certificate");
                }
            }
        }
        if (chain.isEmpty()) {
            throw new UserError(file.describe() + " contains no certificate; set " + file.flag()
                    + " to a PEM file with -----BEGIN CERTIFICATE----- (convert DER with: openssl x509 -inform der)");
        }
        return chain;
    }

    /**
     * Reads a key password: the first line of the file, without its line ending.
     *
     * @throws UserError when the file cannot be read or is empty
     */
    public static char[] readPasswordFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("password file " + file + " does not exist; set " + PASSWORD_FLAG + " to an existing file");
        } catch (AccessDeniedException e) {
            throw new UserError("password file " + file + " cannot be read (permission denied); fix its permissions");
        } catch (IOException e) {
            throw new UserError("password file " + file + " cannot be read; set " + PASSWORD_FLAG + " to a readable file");
        }
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            if (end == 0) {
                throw new UserError("password file " + file + " is empty; put the key's password on its first line");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            throw new UserError("password file " + file + " is not UTF-8 text; write the password as UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Leaf first, then any intermediates, as served to clients. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}
