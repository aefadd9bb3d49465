package io.portcullis.tls;

import static io.portcullis.testing.Cmd.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.OneShotHttpsServer;
import io.portcullis.testing.TestPki;
import io.portcullis.testing.TestTlsEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real handshakes against a listener configured with {@link ServerTls}, from OpenSSL and from the JDK. */
class ServerTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificatesWithOpenssl() {
        for (String name : List.of("ec", "ec-next")) {
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=localhost", "-days", "1",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").assertOk();
        }
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.crt",
                "-subj", "/CN=localhost", "-days", "1", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").assertOk();
    }

    /** On the engine under test (TestTlsEngine: the suite runs these on BoringSSL and again on JSSE). */
    private static ServerTls create(TlsMaterial material) {
        ServerTls tls = ServerTls.create(material, null, TestTlsEngine.choice());
        assertEquals(TestTlsEngine.expected(), tls.engine().name());
        return tls;
    }

    private static TlsMaterial material(String name) {
        return TlsMaterial.load(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), null);
    }

    @Test
    void cipherSuitesAreAeadOnlyWithTls13First() {
        String[] suites = ServerTls.cipherSuites(create(material("ec")).context());

        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"),
                Arrays.asList(suites).subList(0, 3));
        assertEquals(9, suites.length, Arrays.toString(suites));
        for (String suite : suites) {
            assertTrue(suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"), suite);
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") || suite.startsWith("TLS_ECDHE_"), suite);
        }
    }

    @Test
    void opensslNegotiatesTls13AndVerifiesTheCertificate() throws IOException {
        try (OneShotHttpsServer server = new OneShotHttpsServer(create(material("ec")))) {
            Cmd.Result result = openssl(dir, "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_3",
                    "-CAfile", "ec.crt", "-verify_return_error", "-verify_hostname", "localhost").assertOk();

            // JSSE picks by the gate's order (AES-128 first); BoringSSL picks TLS 1.3 suites by the client's order
            // (OpenSSL's puts AES-256 first) and has no server-order switch for them: all three are AEAD anyway
            String expected = TestTlsEngine.expected().equals("jsse") ? "TLS_AES_128_GCM_SHA256" : "TLS_AES_256_GCM_SHA384";
            assertTrue(result.output().contains("New, TLSv1.3, Cipher is " + expected), result.output());
            assertTrue(result.output().contains("Verify return code: 0 (ok)"), result.output());
        }
    }

    @Test
    void tls11IsRefused() throws IOException {
        try (OneShotHttpsServer server = new OneShotHttpsServer(create(material("ec")))) {
            // SECLEVEL=0 so that the client really offers TLS 1.1 and the refusal is the server's.
            Cmd.Result result = openssl(dir, "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_1",
                    "-cipher", "DEFAULT@SECLEVEL=0");

            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("Cipher is (NONE)"), result.output());
        }
    }

    @Test
    void tls12WithoutAeadIsRefusedAndWithAeadAccepted() throws IOException {
        try (OneShotHttpsServer server = new OneShotHttpsServer(create(material("ec")))) {
            Cmd.Result cbc = openssl(dir, "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_2",
                    "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA");
            assertNotEquals(0, cbc.exitCode(), cbc.output());

            Cmd.Result aead = openssl(dir, "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_2").assertOk();
            assertTrue(aead.output().contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"), aead.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec", "rsa"})
    void jdkClientGetsTls12WithAnAeadSuite(String keyType) throws Exception {
        TlsMaterial material = material(keyType);
        try (OneShotHttpsServer server = new OneShotHttpsServer(create(material))) {
            SSLSession session = handshake(server.port(), material.leaf(), "TLSv1.2");

            assertEquals("TLSv1.2", session.getProtocol());
            assertTrue(session.getCipherSuite().startsWith("TLS_ECDHE_" + (keyType.equals("ec") ? "ECDSA" : "RSA") + "_WITH_"),
                    session.getCipherSuite());
            assertTrue(session.getCipherSuite().contains("_GCM_") || session.getCipherSuite().contains("CHACHA20"), session.getCipherSuite());
        }
    }

    @Test
    void jdkClientGetsTls13ByDefault() throws Exception {
        TlsMaterial material = material("rsa");
        try (OneShotHttpsServer server = new OneShotHttpsServer(create(material))) {
            assertEquals("TLSv1.3", handshake(server.port(), material.leaf(), "TLSv1.3", "TLSv1.2").getProtocol());
        }
    }

    @Test
    void swappedMaterialIsServedToNewConnections() throws Exception {
        TlsMaterial first = material("ec");
        TlsMaterial next = material("ec-next");
        ServerTls tls = create(first);
        try (OneShotHttpsServer server = new OneShotHttpsServer(tls)) {
            handshake(server.port(), first.leaf(), "TLSv1.3");

            tls.swap(next);

            assertEquals(next.leaf(), handshake(server.port(), next.leaf(), "TLSv1.3").getPeerCertificates()[0]);
            assertThrows(SSLHandshakeException.class, () -> handshake(server.port(), first.leaf(), "TLSv1.3"));
        }
    }

    /** Connects to 127.0.0.1 as "localhost" with hostname verification, trusting only {@code trusted}. */
    private static SSLSession handshake(int port, X509Certificate trusted, String... protocols)
            throws IOException, GeneralSecurityException {
        SSLContext client = TestPki.trusting(trusted);

        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        plain.setSoTimeout(5_000);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession();
        }
    }
}
