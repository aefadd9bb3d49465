package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.testing.TestGate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate that cannot start leaves nothing behind: the threads it started (access-log writer, maintenance report,
 * readiness probe) end and the HTTPS port it had bound is free again. Its admin listener is the last thing a start
 * opens, so a taken admin port fails a start that has opened everything else.
 */
class GateTeardownTest {
    private static final List<String> GATE_THREADS = List.of("portcullis-access-log", "portcullis-maintenance",
            "portcullis-readiness");

    @TempDir
    Path dir;

    @Test
    void aTakenAdminPortFailsTheStartAndLeavesNoThreadOrPortOpen() throws Exception {
        long before = gateThreads();
        int https;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            https = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UserError e = assertThrows(UserError.class, () -> TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9",
                    "listen", "127.0.0.1:" + https, "admin-listen", "127.0.0.1:" + taken.getLocalPort())));
            assertTrue(e.getMessage().contains("--admin-listen"), e.getMessage());
        }
        assertNoThreadsLeftBeyond(before);
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", https));
        }
    }

    @Test
    void aChainStepThatCannotBeBuiltLeavesNoThreadBehind() throws Exception {
        long before = gateThreads();
        // single sign-on is opened while the chain is built: a missing client secret fails it there
        UserError e = assertThrows(UserError.class, () -> TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9",
                "oidc-issuer", "http://127.0.0.1:9/realm", "oidc-client-id", "portcullis",
                "oidc-client-secret-file", dir.resolve("missing.secret").toString(),
                "oidc-redirect-url", "https://registry.example/ui/sso/callback")));
        assertTrue(e.getMessage().contains("--oidc-client-secret-file"), e.getMessage());
        assertNoThreadsLeftBeyond(before);
    }

    /** The gate's threads end soon after a failed start (each finishes its last task): polled with a deadline. */
    private static void assertNoThreadsLeftBeyond(long before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gateThreads() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(gateThreads() <= before, "threads left behind: " + Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName).filter(GATE_THREADS::contains).toList());
    }

    private static long gateThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> GATE_THREADS.contains(t.getName())).count();
    }
}
