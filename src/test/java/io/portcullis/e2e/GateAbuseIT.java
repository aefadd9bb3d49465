package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.DaemonProcess;
import io.portcullis.testing.Digests;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real jar against the real registry, treated the way an abusive or unlucky environment would. */
@NeedsTools({"docker-registry", "curl", "htpasswd", "openssl"})
class GateAbuseIT {
    private static final String[] AUTH = {"-u", Users.ALICE + ":" + Users.ALICE_PW};

    @Test
    void clientInitiatedTls12RenegotiationIsRefused() throws Exception {
        try (Stack stack = Stack.start("renegotiation")) {
            Path out = stack.dir().resolve("s_client.out");
            try (DaemonProcess client = new DaemonProcess("openssl s_client", List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + stack.gate().port(), "-tls1_2", "-CAfile", stack.pki().caCert().toString()), out).keepStdinOpen()) {
                client.start();
                assertTrue(Poll.until(() -> read(out).contains("Verify return code"), Duration.ofSeconds(20)),
                        () -> "no handshake: " + read(out));
                OutputStream stdin = client.stdin();
                stdin.write("R\n".getBytes(StandardCharsets.US_ASCII)); // s_client: renegotiate now
                stdin.flush();
                // stdin stays open: s_client only ends because the gate refused and closed
                assertTrue(client.awaitExit(Duration.ofSeconds(20)), () -> "the connection survived a renegotiation: " + read(out));
                assertTrue(read(out).contains("RENEGOTIATING"), () -> read(out));
                assertTrue(read(out).contains("alert"), () -> "expected a TLS alert: " + read(out));
            }
        }
    }

    @Test
    void aLogReaderThatStopsReadingDoesNotStallTransfers() throws Exception {
        try (Stack stack = Stack.start("stuck-log", "48m", dir -> List.of(), true)) {
            Path blob = stack.dir().resolve("layer.bin");
            String digest = Digests.writeRandom(blob, 16L * 1024 * 1024, 9);
            Curl curl = stack.curl().timeout(Duration.ofSeconds(120));
            String base = stack.gate().url();
            push(stack, curl, "stuck/log", blob, digest);

            // 3000 access lines (~150 bytes each) fill the 64 KiB pipe nobody reads seven times over
            List<String> many = new ArrayList<>(List.of("curl", "-sS", "--cacert", stack.pki().caCert().toString(),
                    "-w", "%{http_code}\\n", AUTH[0], AUTH[1]));
            for (int i = 0; i < 3000; i++) {
                many.addAll(List.of("-o", "/dev/null", base + "/v2/"));
            }
            Cmd.Result r = Cmd.of(many).timeout(Duration.ofSeconds(120)).run();
            assertEquals(3000, r.stdout().lines().filter("200"::equals).count(), () -> r + "\n" + stack.logs());

            Path pulled = stack.dir().resolve("pulled.bin");
            Curl.Response got = curl.exchange("GET", base + "/v2/stuck/log/blobs/" + digest, pulled, AUTH);
            assertEquals(200, got.status(), () -> got + "\n" + stack.logs());
            assertEquals(digest, Digests.of(pulled));
        }
    }

    @Test
    void upstreamConnectionsOfABurstOfParallelPushesAreClosedAfterTheIdleTimeout() throws Exception {
        try (Stack stack = Stack.start("upstream-fds", "64m", dir -> List.of("--upstream-idle-timeout", "2s"))) {
            Path blob = stack.dir().resolve("layer.bin");
            String digest = Digests.writeRandom(blob, 2L * 1024 * 1024, 11);
            Curl curl = stack.curl().timeout(Duration.ofSeconds(60));
            push(stack, curl, "warm/up", blob, digest);
            int baseline = settledFds(stack.gate().pid());

            List<Thread> pushes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String repo = "burst/p" + i;
                Thread t = new Thread(() -> push(stack, curl, repo, blob, digest));
                t.start();
                pushes.add(t);
            }
            for (Thread t : pushes) {
                t.join(TimeUnit.SECONDS.toMillis(120));
            }

            assertTrue(Poll.until(() -> fds(stack.gate().pid()) <= baseline + 2, Duration.ofSeconds(30)),
                    () -> "open fds " + fds(stack.gate().pid()) + ", baseline " + baseline + "\n" + stack.logs());
        }
    }

    private static void push(Stack stack, Curl curl, String repo, Path blob, String digest) {
        String base = stack.gate().url();
        Curl.Response start = curl.exchange("POST", base + "/v2/" + repo + "/blobs/uploads/", AUTH);
        assertEquals(202, start.status(), () -> start + "\n" + stack.logs());
        String location = start.header("Location");
        Curl.Response done = curl.exchange("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest,
                AUTH[0], AUTH[1], "-T", blob.toString(), "-H", "Content-Type: application/octet-stream");
        assertEquals(201, done.status(), () -> done + "\n" + stack.logs());
    }

    /** The gate's open fds once the readiness probe's connection has come and gone (lowest of a few looks). */
    private static int settledFds(long pid) {
        int lowest = Integer.MAX_VALUE;
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            lowest = Math.min(lowest, fds(pid));
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // sampling interval
        }
        return lowest;
    }

    private static int fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
