package io.portcullis.cli;

import static io.portcullis.testing.Cmd.openssl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.OneShotHttpsServer;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `portcullis gen-cert` as a user runs it, checked with openssl, curl and the gate's own loader. */
class GenCertCommandTest {
    @TempDir
    Path dir;

    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }
    }

    private static Run genCert(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new GenCertCommand());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void selfSignedByDefaultWithPrivateKeyFile() throws IOException {
        Path ssl = dir.resolve("new/ssl");
        Run run = genCert("--out-dir", ssl.toString());

        assertEquals(0, run.exitCode, run.err);
        Path key = ssl.resolve("docker-registry.key");
        Path cert = ssl.resolve("docker-registry.crt");
        assertEquals("rw-------", permissions(key));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertFalse(Files.exists(ssl.resolve("ca.crt")));
        assertTrue(run.out.contains("Wrote " + key), run.out);
        assertTrue(run.out.contains("Wrote " + cert + " (self-signed certificate for localhost, 127.0.0.1, ::1;"), run.out);
        assertTrue(run.out.contains("curl --cacert " + cert + " https://localhost:PORT/v2/"), run.out);
        try (var files = Files.list(ssl)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }

        String san = openssl(dir, "x509", "-in", cert.toString(), "-noout", "-ext", "subjectAltName").assertOk().output();
        assertTrue(san.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), san);
        String text = openssl(dir, "x509", "-in", cert.toString(), "-noout", "-text").assertOk().output();
        assertTrue(text.contains("Subject: CN = localhost"), text);
        assertTrue(text.contains("CA:FALSE"), text);
        assertTrue(text.contains("TLS Web Server Authentication"), text);
        assertTrue(text.contains("NIST CURVE: P-256"), text);

        TlsMaterial material = TlsMaterial.load(cert, key, null);
        assertEquals("EC", material.privateKey().getAlgorithm());
        assertEquals(1, material.chain().size());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        String outDir = dir.toString();
        assertEquals(0, genCert("--out-dir", outDir).exitCode);
        Path key = dir.resolve("docker-registry.key");
        byte[] keyBefore = Files.readAllBytes(key);
        byte[] certBefore = Files.readAllBytes(dir.resolve("docker-registry.crt"));

        Run again = genCert("--out-dir", outDir);

        assertEquals(1, again.exitCode);
        assertEquals("portcullis: error: " + key + " already exists; use --force to overwrite it (or choose --out-dir / --name)\n",
                again.err.replace(System.lineSeparator(), "\n"));
        assertArrayEquals(keyBefore, Files.readAllBytes(key));
        assertArrayEquals(certBefore, Files.readAllBytes(dir.resolve("docker-registry.crt")));

        Run forced = genCert("--out-dir", outDir, "--force");

        assertEquals(0, forced.exitCode, forced.err);
        assertFalse(Arrays.equals(keyBefore, Files.readAllBytes(key)));
        assertEquals("rw-------", permissions(key));
        TlsMaterial.load(dir.resolve("docker-registry.crt"), key, null);
    }

    @Test
    void caModeWritesAVerifiableChain() throws IOException {
        Run run = genCert("--out-dir", dir.toString(), "--ca", "--host", "registry.example.com", "--host", "10.1.2.3",
                "--host", "[fd00::1]", "--name", "gate");

        assertEquals(0, run.exitCode, run.err);
        assertEquals("rw-------", permissions(dir.resolve("ca.key")));
        assertEquals("rw-------", permissions(dir.resolve("gate.key")));
        assertTrue(run.out.contains("mkdir -p /etc/docker/certs.d/registry.example.com:PORT && sudo cp " + dir.resolve("ca.crt")
                + " /etc/docker/certs.d/registry.example.com:PORT/ca.crt"), run.out);
        assertTrue(run.out.contains("curl --cacert " + dir.resolve("ca.crt")), run.out);

        String verify = openssl(dir, "verify", "-CAfile", "ca.crt", "gate.crt").output();
        assertEquals("gate.crt: OK", verify.trim());
        String san = openssl(dir, "x509", "-in", "gate.crt", "-noout", "-ext", "subjectAltName").assertOk().output();
        assertTrue(san.contains("DNS:registry.example.com, IP Address:10.1.2.3, IP Address:FD00:0:0:0:0:0:0:1"), san);
        String ca = openssl(dir, "x509", "-in", "ca.crt", "-noout", "-ext", "basicConstraints,keyUsage").assertOk().output();
        assertTrue(ca.contains("CA:TRUE, pathlen:0"), ca);
        assertTrue(ca.contains("Certificate Sign"), ca);

        TlsMaterial material = TlsMaterial.load(dir.resolve("gate.crt"), dir.resolve("gate.key"), null);
        assertEquals(2, material.chain().size());
        assertEquals("CN=registry.example.com", material.leaf().getSubjectX500Principal().getName());
        assertEquals(material.leaf().getIssuerX500Principal(), material.chain().get(1).getSubjectX500Principal());
    }

    @Test
    void rsaKeys() throws IOException {
        Run run = genCert("--out-dir", dir.toString(), "--key-type", "rsa", "--rsa-bits", "2048", "--days", "30");

        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.contains("RSA 2048-bit private key"), run.out);
        String text = openssl(dir, "x509", "-in", "docker-registry.crt", "-noout", "-text").assertOk().output();
        assertTrue(text.contains("Public-Key: (2048 bit)"), text);
        assertTrue(text.contains("Digital Signature, Key Encipherment"), text);
        openssl(dir, "pkey", "-in", "docker-registry.key", "-noout").assertOk();
        assertEquals("RSA", TlsMaterial.load(dir.resolve("docker-registry.crt"), dir.resolve("docker-registry.key"), null)
                .privateKey().getAlgorithm());
    }

    @Test
    void caCertificateIsTrustedByCurlAndOpensslByNameAndByIp() throws IOException {
        assertEquals(0, genCert("--out-dir", dir.toString(), "--ca").exitCode);
        TlsMaterial material = TlsMaterial.load(dir.resolve("docker-registry.crt"), dir.resolve("docker-registry.key"), null);

        try (OneShotHttpsServer server = new OneShotHttpsServer(ServerTls.create(material))) {
            String port = String.valueOf(server.port());
            Cmd.Result byName = Cmd.in(dir, "curl", "-sS", "--max-time", "10", "--cacert", "ca.crt",
                    "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/").assertOk();
            assertEquals(OneShotHttpsServer.BODY, byName.output());
            Cmd.Result byIp = Cmd.in(dir, "curl", "-sS", "--max-time", "10", "--cacert", "ca.crt",
                    "https://127.0.0.1:" + port + "/").assertOk();
            assertEquals(OneShotHttpsServer.BODY, byIp.output());
            Cmd.Result byIpv6Name = Cmd.in(dir, "curl", "-sS", "--max-time", "10", "--cacert", "ca.crt",
                    "--connect-to", "::127.0.0.1:" + port, "https://[::1]:" + port + "/").assertOk();
            assertEquals(OneShotHttpsServer.BODY, byIpv6Name.output());

            openssl(dir, "s_client", "-connect", "127.0.0.1:" + port, "-verify_return_error", "-CAfile", "ca.crt",
                    "-verify_hostname", "localhost").assertOk();
            openssl(dir, "s_client", "-connect", "127.0.0.1:" + port, "-verify_return_error", "-CAfile", "ca.crt",
                    "-verify_ip", "127.0.0.1").assertOk();
            Cmd.Result otherName = openssl(dir, "s_client", "-connect", "127.0.0.1:" + port, "-verify_return_error",
                    "-CAfile", "ca.crt", "-verify_hostname", "not-listed.example");
            assertNotEquals(0, otherName.exitCode(), otherName.output());
            assertTrue(otherName.output().contains("hostname mismatch"), otherName.output());
        }
    }

    @Test
    void selfSignedCertificateIsItsOwnTrustAnchor() throws IOException {
        assertEquals(0, genCert("--out-dir", dir.toString()).exitCode);
        TlsMaterial material = TlsMaterial.load(dir.resolve("docker-registry.crt"), dir.resolve("docker-registry.key"), null);

        try (OneShotHttpsServer server = new OneShotHttpsServer(ServerTls.create(material))) {
            String port = String.valueOf(server.port());
            Cmd.Result curl = Cmd.in(dir, "curl", "-sS", "--max-time", "10", "--cacert", "docker-registry.crt",
                    "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/").assertOk();
            assertEquals(OneShotHttpsServer.BODY, curl.output());
            openssl(dir, "s_client", "-connect", "127.0.0.1:" + port, "-verify_return_error", "-CAfile", "docker-registry.crt",
                    "-verify_ip", "127.0.0.1").assertOk();
        }
    }

    @Test
    void badArgumentsAreExplained() {
        Run badHost = genCert("--out-dir", dir.toString(), "--host", "bad host!");
        assertEquals(1, badHost.exitCode);
        assertTrue(badHost.err.contains("--host bad host! is not a valid DNS name"), badHost.err);

        Run badIp = genCert("--out-dir", dir.toString(), "--host", "fe80::zz");
        assertEquals(1, badIp.exitCode);
        assertTrue(badIp.err.contains("--host fe80::zz is not a valid IP address"), badIp.err);

        Run badDays = genCert("--out-dir", dir.toString(), "--days", "0");
        assertEquals(1, badDays.exitCode);
        assertTrue(badDays.err.contains("--days 0 is not a positive number of days"), badDays.err);

        Run badType = genCert("--out-dir", dir.toString(), "--key-type", "dsa");
        assertEquals(2, badType.exitCode, "picocli usage error");
        assertTrue(badType.err.contains("expected ec or rsa, got 'dsa'"), badType.err);

        Run smallRsa = genCert("--out-dir", dir.toString(), "--key-type", "rsa", "--rsa-bits", "1024");
        assertEquals(1, smallRsa.exitCode);
        assertTrue(smallRsa.err.contains("--rsa-bits 1024 is out of range"), smallRsa.err);

        assertEquals(0, genCert("--out-dir", dir.toString(), "--name", "file").exitCode);
        Run fileAsDir = genCert("--out-dir", dir.resolve("file.crt").toString());
        assertEquals(1, fileAsDir.exitCode);
        assertTrue(fileAsDir.err.contains(dir.resolve("file.crt") + " exists and is not a directory; choose another --out-dir"), fileAsDir.err);
    }
}
