package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream stalls, queueing for a pooled connection, and idle upstream connections going away. */
class UpstreamTimeoutsTest {
    @TempDir
    Path dir;

    WireMockGate upstream;
    TestGate gate;
    HttpClient client;

    @BeforeEach
    void startUpstream() {
        upstream = new WireMockGate();
        upstream.server.stubFor(get(urlEqualTo("/v2/slow/tags/list")).willReturn(aResponse().withStatus(200).withBody("slow").withFixedDelay(1500)));
        upstream.server.stubFor(get(urlEqualTo("/v2/stuck/tags/list")).willReturn(aResponse().withStatus(200).withFixedDelay(8000)));
    }

    private void startGate(Map<String, String> flags) throws Exception {
        gate = upstream.gate(dir, flags);
        client = gate.client();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private CompletableFuture<HttpResponse<String>> fetch(String path) {
        return client.sendAsync(HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamThatStopsAnsweringGets504AfterTheReadTimeout() throws Exception {
        startGate(Map.of("read-timeout", "1s", "write-timeout", "1s"));
        long start = System.nanoTime();

        HttpResponse<String> r = fetch("/v2/stuck/tags/list").get();

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(millis >= 1000 && millis < 5000, "answered after " + millis + " ms");
    }

    @Test
    void waitingForABusyPooledConnectionIsNotCutByTheConnectTimeout() throws Exception {
        startGate(Map.of("io-threads", "1", "upstream-connections", "1", "connect-timeout", "500ms"));
        List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parallel.add(fetch("/v2/slow/tags/list"));
        }
        for (CompletableFuture<HttpResponse<String>> r : parallel) {
            assertEquals(200, r.get().statusCode(), "queued for the one connection, then served: " + r.get().body());
        }
    }

    @Test
    void idleUpstreamConnectionsCloseAfterABurst() throws Exception {
        startGate(Map.of("upstream-idle-timeout", "1s"));
        int before = establishedTo(upstream.port());
        List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            parallel.add(fetch("/v2/slow/tags/list"));
        }
        for (CompletableFuture<HttpResponse<String>> r : parallel) {
            assertEquals(200, r.get().statusCode());
        }
        int burst = establishedTo(upstream.port());
        assertTrue(burst >= before + 4, "the burst opened upstream connections: " + before + " -> " + burst);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int now = burst;
        while (now > before && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // polling interval, not a synchronisation
            now = establishedTo(upstream.port());
        }
        assertTrue(now <= before, "idle upstream connections left: " + now + " (baseline " + before + ")");
    }

    /** Established TCP connections from this host to the given local port (both ends are in this JVM: halved). */
    static int establishedTo(int port) throws Exception {
        String hexPort = String.format(":%04X ", port);
        int count = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                // local_address rem_address st: count the gate's side (remote port = upstream port), state 01 = ESTABLISHED
                if (f.length > 3 && (f[2] + " ").endsWith(hexPort) && f[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }
}
