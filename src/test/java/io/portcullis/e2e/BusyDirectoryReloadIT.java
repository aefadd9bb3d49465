package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.reload.Reloader;
import io.portcullis.testing.BusyDirectory;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.DaemonProcess;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.TestPki;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real gate whose watched files share their directories with files written all the time still takes
 * up a change within {@link Reloader#PICKUP_BOUND}. The htpasswd and access rules files sit beside the gate's own
 * log ({@code gate.log}: one line per request) under steady traffic (a client asking every 100 ms); the
 * certificate and key beside a file a writer appends a line to every 5 ms. Each change is then polled for every
 * 100 ms, as a user would try, and must show in a response that ends within the bound.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class BusyDirectoryReloadIT {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.BOB + " pull **",
            "allow " + Users.CAROL + " pull **",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("busy-reload", RULES);
    private static TestPki.PemFiles renewed;
    private static Path bothCas;
    private static DaemonProcess traffic;
    private static BusyDirectory busyPki;

    @BeforeAll
    static void busy() throws IOException {
        // a renewal from another CA, so a client trusting only that CA sees exactly when it is served
        renewed = TestPki.genCert(stack.dir().resolve("renewed"));
        Path load = Files.createDirectories(stack.dir().resolve("load"));
        // clients trusting both CAs see no difference whichever test (the certificate's) ran first
        bothCas = Files.writeString(load.resolve("cas.pem"), Files.readString(stack.pki().caCert())
                + Files.readString(renewed.caCert()));
        traffic = new DaemonProcess("steady traffic", List.of("sh", "-c",
                "while :; do curl -s -o /dev/null --cacert '" + bothCas + "' -u '" + Users.ALICE + ":" + Users.ALICE_PW
                        + "' " + stack.gate().url() + "/v2/; sleep 0.1; done"), load.resolve("traffic.log"));
        traffic.start();
        busyPki = BusyDirectory.start(stack.pki().dir(), "renewal-hook.log", Duration.ofMillis(5));
        awaitGateLogGrowth(20); // the traffic really writes the gate's log beside the htpasswd and rules files
        busyPki.awaitLines(100);
    }

    @AfterAll
    static void quiet() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        if (busyPki != null) {
            busyPki.close();
        }
    }

    @Test
    void aUserRemovedFromTheHtpasswdFileIsRefusedWithinTheBoundWhileTheLogBesideItIsWritten() throws IOException {
        String url = stack.gate().url() + "/v2/";
        Supplier<String> carol = () -> probe(bothCas, url, Users.CAROL + ":" + Users.CAROL_PW);
        assertEquals("200", carol.get(), stack::logs);
        Path htpasswd = stack.users().file();
        assertEquals(htpasswd.getParent(), gateLog().getParent(), "the htpasswd file is beside the gate's log");

        // an editor's save: the file without carol renamed over the old one
        List<String> without = Files.readAllLines(htpasswd).stream().filter(l -> !l.startsWith(Users.CAROL + ":")).toList();
        Path edited = Files.write(htpasswd.resolveSibling("htpasswd.new"), without, StandardCharsets.UTF_8);
        assertTakesEffectWithinTheBound(() -> move(edited, htpasswd), carol, "401");
        assertEquals("200", probe(bothCas, url, Users.ALICE + ":" + Users.ALICE_PW), stack::logs);
    }

    @Test
    void aRuleRemovedFromTheAccessFileDeniesWithinTheBoundWhileTheLogBesideItIsWritten() throws IOException {
        String url = stack.gate().url() + "/v2/team/app/tags/list";
        Supplier<String> bob = () -> probe(bothCas, url, Users.BOB + ":" + Users.BOB_PW);
        assertEquals("404", bob.get(), () -> "bob may pull, the repository does not exist\n" + stack.logs());
        Path rules = stack.dir().resolve("access.conf");
        assertEquals(rules.getParent(), gateLog().getParent(), "the rules file is beside the gate's log");

        String withoutBob = RULES.replace("allow " + Users.BOB + " pull **\n", "");
        assertTakesEffectWithinTheBound(() -> write(rules, withoutBob), bob, "403");
    }

    @Test
    void aRenewedCertificateIsServedWithinTheBoundWhileItsDirectoryIsWritten() throws IOException {
        String url = stack.gate().url() + "/v2/";
        Supplier<String> trustingOnlyTheNewCa = () -> probe(renewed.caCert(), url, Users.ALICE + ":" + Users.ALICE_PW);
        assertEquals("curl exit 60", trustingOnlyTheNewCa.get(), "the old certificate is not trusted by the new CA");
        Path certTemp = Files.copy(renewed.cert(), stack.pki().dir().resolve("docker-registry.crt.new"));
        Path keyTemp = Files.copy(renewed.key(), stack.pki().dir().resolve("docker-registry.key.new"));

        // the key and the certificate renamed over the old ones, one after the other, as a renewal hook would
        assertTakesEffectWithinTheBound(() -> {
            move(keyTemp, stack.pki().key());
            move(certTemp, stack.pki().cert());
        }, trustingOnlyTheNewCa, "200");
        busyPki.assertStillWriting();
    }

    /**
     * Makes the change, then asks every {@link #PROBE_INTERVAL} until {@code probe} answers {@code expected}; the
     * answer must end within the bound of the change, and the gate's log must have grown meanwhile (it was busy).
     */
    private static void assertTakesEffectWithinTheBound(IoAction change, Supplier<String> probe, String expected)
            throws IOException {
        long logLines = gateLogLines();
        change.run();
        long changedAt = System.nanoTime();
        String last = null;
        Duration took;
        do {
            long next = System.nanoTime() + PROBE_INTERVAL.toNanos();
            last = probe.get();
            took = Duration.ofNanos(System.nanoTime() - changedAt);
            if (last.equals(expected)) {
                break;
            }
            Poll.pause(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        } while (took.compareTo(Duration.ofSeconds(20)) < 0);
        String answer = last;
        Duration elapsed = took;
        assertEquals(expected, answer, () -> "still " + answer + " after " + elapsed.toMillis() + " ms\n" + stack.logs());
        assertTrue(elapsed.compareTo(Reloader.PICKUP_BOUND) <= 0,
                () -> "took effect after " + elapsed.toMillis() + " ms, bound " + Reloader.PICKUP_BOUND.toMillis() + " ms\n" + stack.logs());
        long grown = gateLogLines() - logLines;
        assertTrue(grown >= 2, () -> "the gate's log grew by only " + grown + " lines: the directory was not busy");
        System.out.printf("%s: took effect after %d ms; the gate's log grew by %d lines meanwhile%n",
                expected, elapsed.toMillis(), grown);
    }

    /** curl's status code, or "curl exit N" when it got none (60: the server's certificate is not trusted). */
    private static String probe(Path ca, String url, String credentials) {
        Cmd.Result r = Cmd.of("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "--cacert", ca.toString(), "-u", credentials, url).timeout(Duration.ofSeconds(30)).run();
        return r.exitCode() == 0 ? r.stdout().strip() : "curl exit " + r.exitCode();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    private static Path gateLog() {
        return stack.dir().resolve("gate.log");
    }

    private static long gateLogLines() {
        return stack.gate().log().lines().count();
    }

    private static void awaitGateLogGrowth(long lines) {
        long before = gateLogLines();
        assertTrue(Poll.until(() -> gateLogLines() - before >= lines, Duration.ofSeconds(30)),
                () -> "the steady traffic did not reach the gate's log\n" + traffic.log() + "\n" + stack.logs());
    }
}
