package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.DaemonProcess;
import io.portcullis.testing.GateProcess;
import io.portcullis.testing.HaproxyGates;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three gates (the jar) behind HAProxy with the PROXY protocol, one redis-server, one registry: what clients see
 * through the balancer, and what the gates record about them.
 */
@NeedsTools({"docker-registry", "redis-server", "haproxy", "htpasswd", "curl", "skopeo", "tar", "gzip"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
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
    @Order(2)
    void accessLogsAndAuditTrailsNameTheClientNotTheBalancer() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("127.0.0.7", Users.BOB, "wrong" + i));
        }
        for (int n = 0; n < 3; n++) {
            int i = n;
            GateProcess gate = site.gates().get(i);
            Path audit = site.dir().resolve("gate" + i).resolve("audit.log");
            assertTrue(Poll.until(() -> gate.log().contains("127.0.0.7 ")
                    && readQuietly(audit).contains("\"127.0.0.7"), Duration.ofSeconds(10)),
                    () -> "gate " + i + " did not record 127.0.0.7\n" + site.logs() + readQuietly(audit));
            // every curl here connects from 127.0.0.5-7 (skopeo, last, from 127.0.0.1 itself)
            for (String line : gate.log().lines().filter(l -> l.contains("\"GET /v2/ ") && l.contains("\"curl/")).toList()) {
                assertFalse(line.startsWith("127.0.0.1 "), "an access line names the balancer: " + line);
            }
        }
    }

    /** Last: it kills a gate. */
    @Test
    @Order(99)
    void aPushWhileAGateIsKilledCompletesOnRetryAndPullsBackByteIdentical() throws Exception {
        OciLayout.Image image = OciLayout.build(site.dir().resolve("image"), "v1", 19);
        String ref = "docker://" + site.hostPort() + "/team/ha:1";
        String certDir = site.pki().caDir().toString();
        String creds = Users.ALICE + ":" + Users.ALICE_PW;
        GateProcess victim = site.gates().get(1);
        int[] from = new int[3];
        for (int i = 0; i < 3; i++) {
            from[i] = site.gates().get(i).log().length();
        }
        DaemonProcess push = new DaemonProcess("skopeo-push", List.of("skopeo", "copy", "--retry-times", "0",
                "--dest-creds", creds, "--dest-cert-dir", certDir, "oci:" + image.layout() + ":v1", ref),
                site.dir().resolve("push.log"));
        push.start();
        // the moment any gate has seen an upload of this image start, gate 1 dies (SIGKILL: no drain, no goodbye)
        assertTrue(Poll.until(() -> {
            for (int i = 0; i < 3; i++) {
                String log = site.gates().get(i).log();
                if (log.substring(Math.min(from[i], log.length())).contains("/v2/team/ha/blobs/uploads/")) {
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(60)), site::logs);
        boolean pushRunning = push.isAlive();
        Cmd.of(List.of("kill", "-KILL", String.valueOf(victim.pid()))).ok();
        assertTrue(Poll.until(() -> !victim.isAlive(), Duration.ofSeconds(10)), "gate 1 is gone");
        assertTrue(push.awaitExit(Duration.ofSeconds(180)), "the first push ended");
        assertTrue(pushRunning, "the gate was killed while the push was running");

        // whatever the first attempt made of it: the retry goes through the two gates left (HAProxy's checks took 1 out)
        Cmd.of(List.of("skopeo", "copy", "--retry-times", "3", "--dest-creds", creds, "--dest-cert-dir", certDir,
                "oci:" + image.layout() + ":v1", ref)).timeout(Duration.ofSeconds(180)).ok();
        Path back = site.dir().resolve("pulled");
        Cmd.of(List.of("skopeo", "copy", "--src-creds", creds, "--src-cert-dir", certDir, ref, "oci:" + back + ":v1"))
                .timeout(Duration.ofSeconds(180)).ok();
        java.util.Map<String, byte[]> sent = OciLayout.blobs(image.layout());
        java.util.Map<String, byte[]> received = OciLayout.blobs(back);
        assertEquals(sent.keySet(), received.keySet());
        sent.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, received.get(name)), "blob " + name + " differs"));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
