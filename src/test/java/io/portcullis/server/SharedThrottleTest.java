package io.portcullis.server;

import io.portcullis.testing.Poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisGates;
import io.portcullis.testing.RedisProcess;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gates in this JVM sharing one real redis-server: failed logins count across all of them, each gate's own
 * count takes over while Redis is gone, and the shared count is back once Redis is.
 */
@NeedsTools("redis-server")
class SharedThrottleTest {
    private static final int LIMIT = 10;

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    RedisGates shared;
    RedisProcess redis;
    List<TestGate> gates;

    @BeforeEach
    void start() throws Exception {
        shared = RedisGates.start(wiremock, dir, 3, Map.of("throttle-failures", String.valueOf(LIMIT), "throttle-window", "10m"));
        redis = shared.redis;
        gates = shared.gates;
    }

    @AfterEach
    void stop() {
        shared.close();
    }

    /** Wrong passwords from {@code from}, round-robin over the gates: how many were answered 401 before the first 429. */
    private int failuresBeforeThrottled(String from, int attempts, List<TestGate> over) throws Exception {
        int refused = 0;
        for (int i = 0; i < attempts; i++) {
            int status = over.get(i % over.size()).statusFrom(from, TestGate.USER, "guess" + i);
            if (status == 429) {
                for (int j = i + 1; j < attempts; j++) {
                    assertEquals(429, over.get(j % over.size()).statusFrom(from, TestGate.USER, "guess" + j), "attempt " + j);
                }
                return refused;
            }
            assertEquals(401, status, "attempt " + i);
            refused++;
        }
        return refused;
    }

    @Test
    void thirtyGuessesOverThreeGatesAreThrottledAtTheCountOfOneGate() throws Exception {
        assertEquals(LIMIT, failuresBeforeThrottled("127.0.0.7", 30, gates));

        for (TestGate gate : gates) {
            assertEquals(200, gate.statusFrom("127.0.0.8", TestGate.USER, TestGate.PASSWORD), "another address is not throttled");
        }
    }

    @Test
    void withRedisGoneEachGateThrottlesOnItsOwnAndWhenItIsBackTheCountIsSharedAgain() throws Exception {
        redis.kill();

        assertEquals(LIMIT, failuresBeforeThrottled("127.0.0.9", LIMIT + 3, List.of(gates.get(0))), "never unlimited guessing");
        assertEquals(200, gates.get(1).statusFrom("127.0.0.10", TestGate.USER, TestGate.PASSWORD), "valid users keep working");

        redis.start();
        for (TestGate gate : gates) {
            awaitReadyz(gate, "\"redis\":\"connected\"");
        }
        assertEquals(LIMIT, failuresBeforeThrottled("127.0.0.11", 30, gates));
    }

    @Test
    void aStalledRedisNeitherFailsValidUsersNorHoldsFailedLoginsLong() throws Exception {
        assertEquals(200, gates.get(0).statusFrom("127.0.0.12", TestGate.USER, TestGate.PASSWORD));
        redis.pause();
        try {
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                int status = gates.get(i % 3).statusFrom("127.0.0.13", TestGate.USER, "guess" + i);
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertEquals(401, status);
                assertTrue(millis < 3000, "a failed login took " + millis + " ms with Redis stalled");
            }
            for (TestGate gate : gates) {
                assertEquals(200, gate.statusFrom("127.0.0.14", TestGate.USER, TestGate.PASSWORD));
            }
        } finally {
            redis.resume();
        }
    }

    private static void awaitReadyz(TestGate gate, String expected) throws Exception {
        HttpClient client = gate.client();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gate.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(expected)) {
                return;
            }
            Poll.pause(100);
        }
        throw new AssertionError("/readyz never said " + expected + ": " + body);
    }
}
