package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three gates (the jar) behind HAProxy with the PROXY protocol, one redis-server, one registry: what clients see
 * through the balancer, and what the gates record about them.
 */
@NeedsTools({"docker-registry", "redis-server", "haproxy", "htpasswd", "curl"})
class SeveralGatesIT {
    private static final int LIMIT = 10;
    private static HaproxyGates site;

    @BeforeAll
    static void up() {
        site = HaproxyGates.start("several-gates", 3, (i, dir) -> List.of("--throttle-failures", String.valueOf(LIMIT),
                "--throttle-window", "10m", "--audit-log", dir.resolve("audit.log").toString(),
                "--audit-actions", "push,delete,login.failure"));
    }

    @AfterAll
    static void down() {
        if (site != null) {
            site.close();
        }
    }

    /** GET /v2/ through the balancer from {@code from} (a loopback address); the status. */
    private static int login(String from, String user, String password) {
        return site.curl().timeout(Duration.ofSeconds(30)).exchange("GET", site.url() + "/v2/", "--interface", from,
                "-u", user + ":" + password).status();
    }

    @Test
    void thirtyGuessesFromOneClientOverThreeGatesAreThrottledAtTheCountOfOneGate() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(login("127.0.0.5", Users.ALICE, "guess" + i));
        }

        assertEquals(List.of(401), statuses.subList(0, LIMIT).stream().distinct().toList(), statuses::toString);
        assertEquals(List.of(429), statuses.subList(LIMIT, 30).stream().distinct().toList(), statuses::toString);
        assertEquals(200, login("127.0.0.6", Users.ALICE, Users.ALICE_PW), "a client at another address is not throttled");
    }

    @Test
    void accessLogsAndAuditTrailsNameTheClientNotTheBalancer() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("127.0.0.7", Users.BOB, "wrong" + i));
        }
        for (int n = 0; n < 3; n++) {
            int i = n;
            GateProcess gate = site.gates().get(i);
            Path audit = site.dir().resolve("gate" + i).resolve("audit.log");
            assertTrue(DaemonProcess.awaitCondition(() -> gate.log().contains("127.0.0.7 ")
                    && readQuietly(audit).contains("\"127.0.0.7"), Duration.ofSeconds(10)),
                    () -> "gate " + i + " did not record 127.0.0.7\n" + site.logs() + readQuietly(audit));
            for (String line : gate.log().lines().filter(l -> l.contains("\"GET /v2/ ")).toList()) {
                assertFalse(line.startsWith("127.0.0.1 "), "an access line names the balancer: " + line);
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
