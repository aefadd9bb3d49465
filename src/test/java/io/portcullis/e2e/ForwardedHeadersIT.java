package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.testing.Curl;
import io.portcullis.testing.GateProcess;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.TempDirs;
import io.portcullis.testing.TestPki;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the upstream receives: the gate in front of a recording HTTP server (instead of the registry) shows
 * that Authorization never leaves the gate and that the forwarding headers are the gate's, not the
 * client's.
 */
@NeedsTools({"curl", "htpasswd"})
class ForwardedHeadersIT {
    private static Path dir;
    private static HttpServer upstream;
    private static GateProcess gate;
    private static TestPki.PemFiles pki;
    private static final BlockingQueue<Map<String, List<String>>> seen = new LinkedBlockingQueue<>();

    @BeforeAll
    static void up() throws IOException {
        dir = TempDirs.create("forwarded");
        try {
            upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            upstream.createContext("/", exchange -> {
                // the gate's readiness probe is not a forwarded request
                if (!"portcullis-readiness".equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
                    seen.add(Map.copyOf(exchange.getRequestHeaders()));
                }
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Docker-Distribution-Api-Version", "registry/2.0");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            upstream.start();
            Users users = Users.create(dir.resolve("htpasswd"));
            pki = TestPki.genCert(dir.resolve("pki"));
            gate = GateProcess.start(dir, "http://127.0.0.1:" + upstream.getAddress().getPort(), pki, users, "128m", null);
        } catch (RuntimeException | Error | IOException e) {
            down();
            throw e;
        }
    }

    @AfterAll
    static void down() {
        if (gate != null) {
            gate.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        TempDirs.deleteQuietly(dir);
    }

    @Test
    void authorizationIsStrippedAndForwardingHeadersAreTheGates() throws InterruptedException {
        seen.clear();
        Curl.Response r = new Curl(pki.caCert()).exchange("GET", gate.url() + "/v2/team/app/tags/list",
                "-u", Users.ALICE + ":" + Users.ALICE_PW,
                "-H", "X-Forwarded-Host: evil.example",
                "-H", "X-Forwarded-Proto: http",
                "-H", "X-Forwarded-For: 203.0.113.9",
                "-H", "Forwarded: for=203.0.113.9;host=evil.example;proto=http");
        assertEquals(200, r.status(), () -> r + "\n" + gate.log());
        Map<String, List<String>> h = seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(h, "the upstream received no request");
        assertFalse(h.containsKey("Authorization"), () -> "upstream saw Authorization: " + h);
        assertEquals(List.of("https"), h.get("X-forwarded-proto"), () -> "headers upstream: " + h);
        assertEquals(List.of(gate.hostPort()), h.get("X-forwarded-host"), () -> "headers upstream: " + h);
        assertEquals(List.of(gate.hostPort()), h.get("Host"), () -> "headers upstream: " + h);
        List<String> forwardedFor = h.get("X-forwarded-for");
        assertNotNull(forwardedFor, () -> "no X-Forwarded-For upstream: " + h);
        assertFalse(String.join(",", forwardedFor).contains("203.0.113.9"), () -> "client-supplied X-Forwarded-For passed: " + h);
        assertTrue(String.join(",", forwardedFor).contains("127.0.0.1"), () -> "headers upstream: " + h);
        List<String> forwarded = h.get("Forwarded");
        assertTrue(forwarded == null || !String.join(",", forwarded).contains("evil.example"),
                () -> "client-supplied Forwarded passed: " + h);
    }

    @Test
    void unauthenticatedRequestsNeverReachTheUpstream() throws InterruptedException {
        seen.clear();
        Curl.Response r = new Curl(pki.caCert()).exchange("GET", gate.url() + "/v2/team/app/tags/list");
        assertEquals(401, r.status(), r::toString);
        Curl.Response bad = new Curl(pki.caCert()).exchange("GET", gate.url() + "/v2/", "-u", Users.ALICE + ":nope");
        assertEquals(401, bad.status(), bad::toString);
        assertEquals(null, seen.poll(500, TimeUnit.MILLISECONDS), "an unauthenticated request reached the upstream");
    }
}
