package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.auth.BcryptHash;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Failed logins through the real gate: same timing for every user, no lock-out from elsewhere, huge names. */
class GateLoginFairnessTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate upstream = new WireMockGate();
    TestGate gate;

    @Test
    void aWrongPasswordTakesAsLongForEveryUserWhateverItsCostAndForUnknownUsers() throws Exception {
        Path htpasswd = dir.resolve("mixed-htpasswd");
        byte[] pw = "right".getBytes(StandardCharsets.UTF_8);
        // most entries at cost 5 (htpasswd -B's default), a newer one at 10: a common file after some years
        Files.writeString(htpasswd, "old1:" + BcryptHash.hash(pw, 5) + "\nold2:" + BcryptHash.hash(pw, 5)
                + "\nnew:" + BcryptHash.hash(pw, 10) + "\n");
        gate = upstream.gate(dir, Map.of("htpasswd", htpasswd.toString(), "throttle-failures", "0",
                "throttle-user-failures", "0"));
        HttpClient client = gate.client();
        List<String> users = List.of("old1", "new", "nobody", "old2", "ghost");
        Map<String, List<Long>> millis = new HashMap<>();
        login(client, "new", "warm-up"); // first requests pay for class loading and JIT
        // round robin, so a burst of load from elsewhere on the machine hits every user alike
        for (int round = 0; round < 15; round++) {
            for (String user : users) {
                long start = System.nanoTime();
                assertEquals(401, login(client, user, "wrong" + round));
                millis.computeIfAbsent(user, u -> new ArrayList<>()).add((System.nanoTime() - start) / 1_000_000);
            }
        }
        double reference = median(millis.get("nobody"));
        for (String user : users) {
            double ratio = median(millis.get(user)) / reference;
            assertTrue(ratio >= 0.5 && ratio <= 2, user + ": median " + median(millis.get(user)) + " ms vs unknown user "
                    + reference + " ms; all: " + millis);
        }
    }

    @Test
    void failuresForANameFromFiveAddressesDoNotLockItsOwnerOut() throws Exception {
        gate = upstream.gate(dir, Map.of("throttle-failures", "10", "throttle-user-failures", "30"));
        // the attack: 40 wrong passwords for the user, 8 from each of five addresses (none at its limit);
        // once the name has 30 failures the attackers' later guesses get 429 (their addresses have failures)
        List<Integer> answers = new ArrayList<>();
        for (int a = 2; a <= 6; a++) {
            for (int i = 0; i < 8; i++) {
                answers.add(gate.statusFrom("127.0.0." + a, TestGate.USER, "guess" + i));
            }
        }
        // 30 until the name is under attack, then one more from the fifth address, whose first guess it was
        assertEquals(31, answers.stream().filter(s -> s == 401).count(), answers.toString());
        assertEquals(9, answers.stream().filter(s -> s == 429).count(), answers.toString());

        assertEquals(429, gate.statusFrom("127.0.0.2", TestGate.USER, TestGate.PASSWORD), "an attacking address is refused for the name");
        assertEquals(200, gate.statusFrom("127.0.0.7", TestGate.USER, TestGate.PASSWORD), "the user, from an address of its own");
    }

    @Test
    void userNamesOf40KBAreRefusedWithoutAnyPasswordCheck() throws Exception {
        gate = upstream.gate(dir, Map.of("throttle-failures", "0", "throttle-user-failures", "0"));
        HttpClient client = gate.client();
        char[] name = new char[40 * 1024];
        for (int i = 0; i < 200; i++) {
            Arrays.fill(name, (char) ('a' + i % 26));
            name[0] = (char) ('a' + i / 26 % 26);
            assertEquals(401, login(client, new String(name), "x"));
        }

        assertEquals(200, login(client, TestGate.USER, TestGate.PASSWORD), "the gate still serves");
        String metrics = scrape();
        assertTrue(metrics.contains("portcullis_auth_cache_total{result=\"miss\"} 1.0"),
                "only the real login needed a password check: " + metrics.lines().filter(l -> l.contains("auth")).toList());
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gate.gate.metrics().scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private int login(HttpClient client, String user, String password) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", TestGate.basic(user, password))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
