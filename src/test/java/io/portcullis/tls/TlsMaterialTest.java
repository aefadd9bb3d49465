package io.portcullis.tls;

import static io.portcullis.testing.Cmd.openssl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key and certificate files as OpenSSL 3 writes them, loaded the way `serve --cert --key` will. */
class TlsMaterialTest {
    private static final String PASSWORD = "s3cret-Pass";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeKeysWithOpenssl() throws IOException {
        // RSA: one key in every encoding.
        openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.key").assertOk();
        openssl(dir, "rsa", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key").assertOk();
        openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "rsa-pkcs8.key", "-passout", "pass:" + PASSWORD,
                "-out", "rsa-pkcs8-encrypted.key").assertOk();
        openssl(dir, "rsa", "-in", "rsa-pkcs8.key", "-aes256", "-traditional", "-passout", "pass:" + PASSWORD,
                "-out", "rsa-legacy-encrypted.key").assertOk();
        selfSigned("rsa-pkcs8.key", "rsa.crt", "rsa.example");

        // EC P-256: ecparam -genkey writes an EC PARAMETERS block before the SEC1 key.
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "ec-sec1.key").assertOk();
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "ec-sec1.key", "-out", "ec-pkcs8.key").assertOk();
        openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ec-sec1.key", "-passout", "pass:" + PASSWORD,
                "-out", "ec-pkcs8-encrypted.key").assertOk();
        openssl(dir, "ec", "-in", "ec-sec1.key", "-aes256", "-passout", "pass:" + PASSWORD,
                "-out", "ec-legacy-encrypted.key").assertOk();
        selfSigned("ec-sec1.key", "ec.crt", "ec.example");

        // A CA and a leaf it signed, bundled leaf first (and once the wrong way round).
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test CA", "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE").assertOk();
        openssl(dir, "req", "-new", "-key", "ec-pkcs8.key", "-subj", "/CN=leaf.example", "-out", "leaf.csr").assertOk();
        openssl(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-out", "leaf.crt").assertOk();
        concat("bundle.crt", "leaf.crt", "ca.crt");
        concat("bundle-reversed.crt", "ca.crt", "leaf.crt");
        concat("combined.pem", "ec-pkcs8.key", "leaf.crt", "ca.crt");

        Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-password.txt"), "not-the-password\n");
        Files.writeString(dir.resolve("garbage.txt"), "this is not a certificate\nat all\n");
    }

    private static void selfSigned(String key, String cert, String host) {
        openssl(dir, "req", "-x509", "-key", key, "-subj", "/CN=" + host, "-days", "1",
                "-addext", "subjectAltName=DNS:" + host, "-out", cert).assertOk();
    }

    private static void concat(String target, String... sources) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String source : sources) {
            text.append(Files.readString(dir.resolve(source)));
        }
        Files.writeString(dir.resolve(target), text);
    }

    private static char[] password(String file) {
        return file == null ? null : TlsMaterial.readPasswordFile(dir.resolve(file));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "rsa-pkcs1.key,           rsa.crt, ,             RSA, BEGIN RSA PRIVATE KEY",
            "rsa-pkcs8.key,           rsa.crt, ,             RSA, BEGIN PRIVATE KEY",
            "rsa-pkcs8-encrypted.key, rsa.crt, password.txt, RSA, BEGIN ENCRYPTED PRIVATE KEY",
            "rsa-legacy-encrypted.key,rsa.crt, password.txt, RSA, Proc-Type: 4,ENCRYPTED",
            "ec-sec1.key,             ec.crt,  ,             EC,  BEGIN EC PARAMETERS",
            "ec-pkcs8.key,            ec.crt,  ,             EC,  BEGIN PRIVATE KEY",
            "ec-pkcs8-encrypted.key,  ec.crt,  password.txt, EC,  BEGIN ENCRYPTED PRIVATE KEY",
            "ec-legacy-encrypted.key, ec.crt,  password.txt, EC,  Proc-Type: 4,ENCRYPTED",
    })
    void loadsEveryKeyFormatOpensslWrites(String key, String cert, String passwordFile, String algorithm, String marker) throws IOException {
        // Guard against the fixture silently producing another format than the one named.
        assertTrue(Files.readString(dir.resolve(key)).contains(marker), key + " should contain " + marker);

        TlsMaterial material = TlsMaterial.load(dir.resolve(cert), dir.resolve(key), password(passwordFile));

        assertEquals(algorithm, material.privateKey().getAlgorithm());
        assertEquals(1, material.chain().size());
        assertEquals(material.leaf(), material.chain().get(0));
        // Keys must be JDK types: BouncyCastle ones would not be usable by the JDK's TLS stack everywhere.
        assertFalse(material.privateKey().getClass().getName().contains("bouncycastle"), material.privateKey().getClass().getName());
    }

    @Test
    void chainBundleLoadsLeafFirst() {
        TlsMaterial material = TlsMaterial.load(dir.resolve("bundle.crt"), dir.resolve("ec-pkcs8.key"), null);

        assertEquals(2, material.chain().size());
        assertEquals("CN=leaf.example", material.leaf().getSubjectX500Principal().getName());
        assertEquals("CN=Test CA", material.chain().get(1).getSubjectX500Principal().getName());
    }

    @Test
    void keyAndChainInOneFile() {
        Path combined = dir.resolve("combined.pem");
        TlsMaterial material = TlsMaterial.load(combined, combined, null);

        assertEquals(2, material.chain().size());
        assertEquals("CN=leaf.example", material.leaf().getSubjectX500Principal().getName());
    }

    @Test
    void bundleWithCaFirstIsRefusedWithAHintToReorder() {
        UserError e = assertThrows(UserError.class,
                () -> TlsMaterial.load(dir.resolve("bundle-reversed.crt"), dir.resolve("ec-pkcs8.key"), null));

        assertTrue(e.getMessage().contains("must come first"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("bundle-reversed.crt").toString()), e.getMessage());
        assertNoFileContent(e, "bundle-reversed.crt", "ec-pkcs8.key");
    }

    @Test
    void keyOfAnotherCertificateNamesBothFiles() {
        Path cert = dir.resolve("rsa.crt");
        Path key = dir.resolve("ec-pkcs8.key");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(cert, key, null));

        assertEquals("private key in " + key + " does not match the certificate in " + cert
                + " (CN=rsa.example); set --cert and --key to a certificate and the key it was issued for", e.getMessage());
        assertNoFileContent(e, "rsa.crt", "ec-pkcs8.key");
    }

    @Test
    void sameTypeButDifferentKeyIsAMismatchToo() {
        UserError e = assertThrows(UserError.class,
                () -> TlsMaterial.load(dir.resolve("ec.crt"), dir.resolve("ca.key"), null));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"rsa-pkcs8-encrypted.key, rsa.crt", "rsa-legacy-encrypted.key, rsa.crt",
            "ec-pkcs8-encrypted.key, ec.crt", "ec-legacy-encrypted.key, ec.crt"})
    void wrongPasswordIsReportedAsSuch(String key, String cert) {
        char[] wrong = password("wrong-password.txt");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(dir.resolve(cert), dir.resolve(key), wrong));

        assertEquals("wrong password for key file " + dir.resolve(key) + "; check the file given with --key-password-file", e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"));
        assertNoFileContent(e, key);
    }

    @ParameterizedTest
    @CsvSource({"rsa-pkcs8-encrypted.key, rsa.crt", "ec-legacy-encrypted.key, ec.crt"})
    void encryptedKeyWithoutPasswordAsksForOne(String key, String cert) {
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(dir.resolve(cert), dir.resolve(key), null));

        assertEquals("key file " + dir.resolve(key) + " is encrypted; give its password with --key-password-file", e.getMessage());
    }

    @Test
    void missingFilesAreNamedWithTheFlagToFix() {
        Path missing = dir.resolve("nope/docker-registry.crt");
        UserError cert = assertThrows(UserError.class, () -> TlsMaterial.load(missing, dir.resolve("ec-pkcs8.key"), null));
        assertEquals("certificate file " + missing + " does not exist; set --cert to an existing PEM file", cert.getMessage());

        Path missingKey = dir.resolve("nope.key");
        UserError key = assertThrows(UserError.class, () -> TlsMaterial.load(dir.resolve("ec.crt"), missingKey, null));
        assertEquals("key file " + missingKey + " does not exist; set --key to an existing PEM file", key.getMessage());
    }

    @Test
    void directoryInsteadOfFile() {
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(dir, dir.resolve("ec-pkcs8.key"), null));
        assertEquals("certificate file " + dir + " is a directory; set --cert to a PEM file", e.getMessage());
    }

    @Test
    void garbageCertificateFile() {
        Path garbage = dir.resolve("garbage.txt");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(garbage, dir.resolve("ec-pkcs8.key"), null));
        assertTrue(e.getMessage().startsWith("certificate file " + garbage + " contains no certificate; set --cert"), e.getMessage());
        assertNoFileContent(e, "garbage.txt");
    }

    @Test
    void garbageKeyFile() {
        Path garbage = dir.resolve("garbage.txt");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(dir.resolve("ec.crt"), garbage, null));
        assertTrue(e.getMessage().startsWith("key file " + garbage + " contains no private key; set --key"), e.getMessage());
    }

    @Test
    void certificateGivenAsKeyFile() {
        Path cert = dir.resolve("ec.crt");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(cert, cert, null));
        assertTrue(e.getMessage().startsWith("key file " + cert + " contains no private key"), e.getMessage());
    }

    @Test
    void keyGivenAsCertificateFile() {
        Path key = dir.resolve("ec-pkcs8.key");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(key, key, null));
        assertTrue(e.getMessage().startsWith("certificate file " + key + " contains no certificate"), e.getMessage());
        assertNoFileContent(e, "ec-pkcs8.key");
    }

    @Test
    void damagedPemBlock() throws IOException {
        String pem = Files.readString(dir.resolve("ec.crt"));
        Path damaged = dir.resolve("damaged.crt");
        Files.writeString(damaged, pem.replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!!!!!!!"));

        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(damaged, dir.resolve("ec-sec1.key"), null));
        assertTrue(e.getMessage().startsWith("certificate file " + damaged + " is not valid PEM"), e.getMessage());
        assertNoFileContent(e, "damaged.crt");
    }

    @Test
    void unknownPemBlockTypeIsNamed() throws IOException {
        Path odd = dir.resolve("odd.pem");
        Files.writeString(odd, "-----BEGIN SOMETHING ODD-----\nAAAA\n-----END SOMETHING ODD-----\n");

        UserError e = assertThrows(UserError.class, () -> TlsMaterial.load(odd, dir.resolve("ec-sec1.key"), null));
        assertTrue(e.getMessage().contains("unsupported block type \"SOMETHING ODD\""), e.getMessage());
    }

    @Test
    void passwordFileFirstLineWithoutLineEnding() throws IOException {
        Path file = dir.resolve("crlf-password.txt");
        Files.write(file, "pässword\r\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("pässword".toCharArray(), TlsMaterial.readPasswordFile(file));

        Path noNewline = dir.resolve("bare-password.txt");
        Files.writeString(noNewline, "bare");
        assertArrayEquals("bare".toCharArray(), TlsMaterial.readPasswordFile(noNewline));
    }

    @Test
    void passwordFileProblems() throws IOException {
        Path missing = dir.resolve("missing-password.txt");
        UserError e = assertThrows(UserError.class, () -> TlsMaterial.readPasswordFile(missing));
        assertEquals("password file " + missing + " does not exist; set --key-password-file to an existing file", e.getMessage());

        Path empty = dir.resolve("empty-password.txt");
        Files.writeString(empty, "\n");
        UserError emptyError = assertThrows(UserError.class, () -> TlsMaterial.readPasswordFile(empty));
        assertEquals("password file " + empty + " is empty; put the key's password on its first line", emptyError.getMessage());
    }

    @Test
    void programmaticMaterialIsCheckedToo() {
        TlsMaterial rsa = TlsMaterial.load(dir.resolve("rsa.crt"), dir.resolve("rsa-pkcs8.key"), null);
        TlsMaterial ec = TlsMaterial.load(dir.resolve("ec.crt"), dir.resolve("ec-pkcs8.key"), null);

        assertThrows(IllegalArgumentException.class, () -> TlsMaterial.of(rsa.privateKey(), ec.chain()));
        assertThrows(UnsupportedOperationException.class, () -> rsa.chain().clear());
        assertEquals(ec.leaf(), TlsMaterial.of(ec.privateKey(), List.of(ec.leaf())).leaf());
    }

    /** No line of a PEM body may leak into a message (they can end up in logs). */
    static void assertNoFileContent(UserError e, String... files) {
        for (String file : files) {
            try {
                for (String line : Files.readAllLines(dir.resolve(file), StandardCharsets.ISO_8859_1)) {
                    if (line.length() >= 16 && !line.startsWith("-----") && !line.contains(":")) {
                        assertFalse(e.getMessage().contains(line.substring(0, 16)), "message leaks content of " + file);
                    }
                }
            } catch (IOException io) {
                throw new IllegalStateException(io);
            }
        }
    }
}
