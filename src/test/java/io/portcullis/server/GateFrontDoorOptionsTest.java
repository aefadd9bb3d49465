package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.TestPki;
import io.portcullis.tls.Pem;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional front-door settings: HSTS, client certificates (mTLS) and the plain-HTTP redirect listener. Each test
 * starts its own {@link TestGate} (not WireMockGate): every one has different front-door options, none needs an
 * upstream (the gate answers 503 for it), and one checks that a bad option fails the start itself.
 */
class GateFrontDoorOptionsTest {
    @TempDir
    Path dir;

    @Test
    void hstsIsOffByDefaultAndOnEveryResponseWhenSet() throws Exception {
        try (TestGate plain = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9"))) {
            HttpResponse<String> r = plain.client().send(HttpRequest.newBuilder(plain.uri("/v2/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(List.of(), r.headers().allValues("Strict-Transport-Security"));
        }
        Path other = Files.createDirectories(dir.resolve("hsts"));
        try (TestGate hsts = TestGate.start(other, Map.of("upstream", "http://127.0.0.1:9", "hsts-max-age", "365d"))) {
            HttpResponse<String> challenge = hsts.client().send(HttpRequest.newBuilder(hsts.uri("/v2/")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unavailable = hsts.client().send(HttpRequest.newBuilder(hsts.uri("/v2/"))
                    .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, challenge.statusCode());
            assertEquals(List.of("max-age=31536000"), challenge.headers().allValues("Strict-Transport-Security"));
            assertEquals(503, unavailable.statusCode());
            assertEquals(List.of("max-age=31536000"), unavailable.headers().allValues("Strict-Transport-Security"));
        }
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateFromItGetThrough() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        TestPki clientCa = new TestPki("Client CA");
        clientCa.writeCa(pki.resolve("ca.crt"));
        clientCa.client("ci-runner", 2).write(pki.resolve("client.crt"), pki.resolve("client.key"));
        // a certificate from another CA must not do
        new TestPki("Stranger CA").client("stranger", 2).write(pki.resolve("stranger.crt"), pki.resolve("stranger.key"));

        try (TestGate gate = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9", "client-ca", pki.resolve("ca.crt").toString()))) {
            Path gateCa = dir.resolve("gate.crt");
            Files.writeString(gateCa, Pem.certificates(List.of(gate.certificate)));
            String url = "https://127.0.0.1:" + gate.port() + "/v2/";

            Cmd.Result withCert = Cmd.in(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", gateCa.toString(),
                    "--cert", pki.resolve("client.crt").toString(), "--key", pki.resolve("client.key").toString(), url);
            Cmd.Result without = Cmd.in(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", gateCa.toString(), url);
            Cmd.Result stranger = Cmd.in(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", gateCa.toString(),
                    "--cert", pki.resolve("stranger.crt").toString(), "--key", pki.resolve("stranger.key").toString(), url);

            assertEquals(0, withCert.exitCode(), withCert.output());
            assertTrue(withCert.output().startsWith("401"), "a client certificate gets to basic auth: " + withCert.output());
            assertNotEquals(0, without.exitCode(), without.output());
            assertTrue(without.output().contains("alert") || without.output().contains("certificate required"), without.output());
            assertNotEquals(0, stranger.exitCode(), stranger.output());
        }
    }

    @Test
    void aMissingClientCaFileIsAOneLineStartError() {
        io.portcullis.base.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.portcullis.base.UserError.class,
                () -> TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9", "client-ca", "nope.crt")));
        assertTrue(e.getMessage().contains("client CA file") && e.getMessage().contains("--client-ca"), e.getMessage());
    }

    @Test
    void thePlainHttpListenerOnlyRedirectsAndSaysWhy() throws Exception {
        try (TestGate gate = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9", "http-listen", "127.0.0.1:0"))) {
            int httpPort = gate.gate.httpAddress().orElseThrow().getPort();
            String response;
            try (Socket s = new Socket("127.0.0.1", httpPort)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("PUT /v2/team/app/blobs/uploads/x?digest=sha256:00 HTTP/1.1\r\nHost: registry.example:" + httpPort
                        + "\r\nAuthorization: " + TestGate.basic(TestGate.USER, TestGate.PASSWORD)
                        + "\r\nContent-Length: 1073741824\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String location = "https://registry.example:" + gate.port() + "/v2/team/app/blobs/uploads/x?digest=sha256:00";
            assertTrue(response.startsWith("HTTP/1.1 308 "), response);
            assertTrue(response.contains("Location: " + location + "\r\n"), response);
            assertTrue(response.contains("Portcullis speaks HTTPS on port " + gate.port() + ": use " + location), response);
            assertFalse(response.contains("errors"), "never proxied: " + response);
        }
    }

    @Test
    void theRedirectIgnoresAHostHeaderThatIsNotAHostName() throws Exception {
        try (TestGate gate = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9", "http-listen", "127.0.0.1:0"))) {
            int httpPort = gate.gate.httpAddress().orElseThrow().getPort();
            try (Socket s = new Socket("127.0.0.1", httpPort)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: evil.example/x?\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 400") || response.contains("Location: https://127.0.0.1:" + gate.port() + "/v2/\r\n"),
                        response);
            }
        }
    }
}
