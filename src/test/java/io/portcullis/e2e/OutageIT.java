package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry goes away and comes back while the gate keeps running. */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class OutageIT {
    @RegisterExtension
    static final Stack stack = Stack.fixture("outage");

    @Test
    void registryDownIsAFast503AndRecoveryNeedsNoGateRestart() {
        Curl curl = stack.curl().timeout(Duration.ofSeconds(30));
        String url = stack.gate().url() + "/v2/";
        String creds = Users.ALICE + ":" + Users.ALICE_PW;
        Curl.Response before = curl.exchange("GET", url, "-u", creds);
        assertEquals(200, before.status(), () -> before + "\n" + stack.logs());

        stack.registry().stop();
        Curl.Response down = curl.exchange("GET", url, "-u", creds);
        assertEquals(503, down.status(), () -> down + "\n" + stack.logs());
        assertEquals(List.of("UNAVAILABLE"), Json.errorCodes(down.bodyText()), down::toString);
        assertTrue(down.header("Content-Type").startsWith("application/json"), down::toString);
        assertEquals("registry/2.0", down.header("Docker-Distribution-Api-Version"));
        assertTrue(down.timeTotalSeconds() < 2.0,
                () -> "the 503 took " + down.timeTotalSeconds() + " s (curl time_total), expected < 2 s");

        // credentials are still checked while the upstream is down
        Curl.Response unauth = curl.exchange("GET", url);
        assertEquals(401, unauth.status(), unauth::toString);

        stack.registry().start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Curl.Response after;
        do {
            after = curl.exchange("GET", url, "-u", creds);
            if (after.status() == 200) {
                break;
            }
            Poll.pause(200);
        } while (System.nanoTime() < deadline);
        Curl.Response last = after;
        assertEquals(200, last.status(), () -> "gate did not recover within 20 s of the registry restart: " + last + "\n" + stack.logs());
        assertEquals("{}", last.bodyText().trim());
        assertTrue(stack.gate().isAlive());
    }
}
