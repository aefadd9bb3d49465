package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.state.StateDirectory;
import io.portcullis.testing.Tools;
import io.portcullis.token.FileTokenStore;
import io.portcullis.token.Token;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a burst of creates, by two processes at once (the CLI beside a gate): the store
 * is readable afterwards and holds every token whose create returned.
 */
class TokenStoreCrashIT {
    @TempDir
    Path dir;

    private Process burst(Path state, String name) throws Exception {
        return new ProcessBuilder(Tools.javaBinary().toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                TokenBurst.class.getName(), state.toString(), name).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads ids until {@code count} came, then kills the process with SIGKILL; returns what it printed. */
    private static Thread reader(Process p, Set<String> returned, int count) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    returned.add(line);
                    if (++n == count) {
                        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the process dies
            }
        });
        t.start();
        return t;
    }

    @Test
    void killedMidBurstByTwoWritersEveryReturnedCreateIsInTheReadableStore() throws Exception {
        Path state = dir.resolve("state");
        for (int round = 0; round < 3; round++) {
            Set<String> returned = ConcurrentHashMap.newKeySet();
            List<Process> processes = List.of(burst(state, "a" + round), burst(state, "b" + round));
            List<Thread> readers = new ArrayList<>();
            // different counts, so the kills land at different moments of a write
            readers.add(reader(processes.get(0), returned, 40 + 17 * round));
            readers.add(reader(processes.get(1), returned, 55 + 11 * round));
            for (Process p : processes) {
                assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "a burst did not end");
                assertEquals(137, p.exitValue(), "killed by SIGKILL");
            }
            for (Thread t : readers) {
                t.join(10_000);
            }
            try (FileTokenStore store = FileTokenStore.open(StateDirectory.open(state), Clock.systemUTC())) {
                Set<String> stored = store.list().stream().map(Token::id).collect(Collectors.toSet());
                Set<String> lost = returned.stream().filter(id -> !stored.contains(id)).collect(Collectors.toSet());
                assertTrue(lost.isEmpty(), "round " + round + ": created, then lost: " + lost);
                assertTrue(returned.size() >= 95, "the bursts created " + returned.size());
            }
        }
    }
}
