package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.testing.ForwardedRequests;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Failed logins through the real gate: 429 before any password check, and what resets it. */
class GateThrottleTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;

    @BeforeEach
    void startUpstream() {
        upstream = wiremock.server;
    }

    private void startGate(Map<String, String> flags) throws Exception {
        gate = wiremock.gate(dir, flags);
        client = gate.client();
    }

    private HttpResponse<String> login(String user, String password) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", TestGate.basic(user, password))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void afterTooManyFailuresFromOneAddressEvenTheRightPasswordGets429WithRetryAfter() throws Exception {
        startGate(Map.of("throttle-failures", "3", "throttle-window", "10m"));
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login(TestGate.USER, "guess" + i).statusCode());
        }

        HttpResponse<String> r = login(TestGate.USER, TestGate.PASSWORD);

        assertEquals(429, r.statusCode());
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 600, "Retry-After " + retryAfter);
        assertEquals(List.of("registry/2.0"), r.headers().allValues("Docker-Distribution-Api-Version"));
        assertEquals("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"too many requests\",\"detail\":null}]}", r.body());
        assertEquals(429, login("someone-else", "x").statusCode(), "the address is throttled, whatever the name");
        assertEquals(List.of(), ForwardedRequests.seenBy(upstream), "nothing but the gate's readiness probe reached the registry");
    }

    @Test
    void aSuccessResetsTheAddressCount() throws Exception {
        startGate(Map.of("throttle-failures", "3"));
        assertEquals(401, login(TestGate.USER, "guess1").statusCode());
        assertEquals(401, login(TestGate.USER, "guess2").statusCode());
        assertEquals(200, login(TestGate.USER, TestGate.PASSWORD).statusCode());
        assertEquals(401, login("other", "guess3").statusCode());
        assertEquals(401, login("other", "guess4").statusCode(), "two failures since the success: not throttled yet");
    }

    @Test
    void credentialsAlreadyVerifiedKeepWorkingFromAThrottledAddress() throws Exception {
        startGate(Map.of("throttle-failures", "2"));
        assertEquals(200, login(TestGate.USER, TestGate.PASSWORD).statusCode());
        assertEquals(401, login("mallory", "a").statusCode());
        assertEquals(401, login("mallory", "b").statusCode());
        assertEquals(429, login("mallory", "c").statusCode());

        assertEquals(200, login(TestGate.USER, TestGate.PASSWORD).statusCode(), "a push in progress is not cut off");
    }

    @Test
    void aUserNameUnderAttackIsThrottledFromAddressesWithFailuresButNotLockedOut() throws Exception {
        // by design: the right password from an address with no failures of its own gets in
        startGate(Map.of("throttle-failures", "100", "throttle-user-failures", "3"));
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login(TestGate.USER, "guess" + i).statusCode());
        }

        assertEquals(429, login(TestGate.USER, TestGate.PASSWORD).statusCode(), "the guessing address is throttled for alice");
        // Linux routes all of 127.0.0.0/8 to loopback: a second client address without any set-up
        assertEquals(200, gate.statusFrom("127.0.0.2", TestGate.USER, TestGate.PASSWORD), "alice is not locked out");
        assertEquals(401, gate.statusFrom("127.0.0.3", TestGate.USER, "guess3"), "one guess from a fresh address");
        assertEquals(429, gate.statusFrom("127.0.0.3", TestGate.USER, "guess4"), "and no second one");
        assertEquals(401, gate.statusFrom("127.0.0.3", "bob", "x"), "other names from that address are not affected");
    }
}
