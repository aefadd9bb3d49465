package io.portcullis.e2e;

import io.portcullis.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Everything one test class needs, in a private temp dir: a real registry, certificates from gen-cert, an
 * htpasswd file and the gate in front. {@link #close()} stops the processes and removes the temp dir, and
 * a failed start cleans up what it had started.
 */
public final class Stack implements AutoCloseable {
    public static final String REALM = "Portcullis E2E";

    private final Path dir;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private RegistryProcess registry;
    private TestPki.PemFiles pki;
    private Users users;
    private GateProcess gate;

    private Stack(Path dir) {
        this.dir = dir;
    }

    public static Stack start(String name) {
        return start(name, "256m");
    }

    public static Stack start(String name, String gateXmx) {
        return start(name, gateXmx, dir -> List.of());
    }

    /** @param gateArgs more serve flags, given the stack's temp dir to write files they name (e.g. --access) */
    public static Stack start(String name, String gateXmx, Function<Path, List<String>> gateArgs) {
        return start(name, gateXmx, gateArgs, false);
    }

    /** @param gateStdoutUnread the gate's access log goes into a pipe nobody reads ({@link GateProcess#start}) */
    public static Stack start(String name, String gateXmx, Function<Path, List<String>> gateArgs, boolean gateStdoutUnread) {
        Stack s = new Stack(TempDirs.create(name));
        try {
            s.users = Users.create(s.dir.resolve("htpasswd"));
            s.registry = s.own(RegistryProcess.start(s.dir.resolve("registry")));
            s.pki = TestPki.genCert(s.dir.resolve("pki"));
            s.gate = s.own(GateProcess.start(s.dir, s.registry.url(), s.pki, s.users, gateXmx, REALM, gateArgs.apply(s.dir),
                    gateStdoutUnread));
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    /** A stack whose gate runs with {@code --access} and these rules, written to the stack's temp dir. */
    public static Stack startWithAccessRules(String name, String rules) {
        return start(name, "256m", dir -> {
            Path file = dir.resolve("access.conf");
            try {
                Files.writeString(file, rules);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of("--access", file.toString());
        });
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    public Path dir() {
        return dir;
    }

    public RegistryProcess registry() {
        return registry;
    }

    public TestPki.PemFiles pki() {
        return pki;
    }

    public Users users() {
        return users;
    }

    public GateProcess gate() {
        return gate;
    }

    /** curl that trusts the gate's CA, and nothing else. */
    public Curl curl() {
        return new Curl(pki.caCert());
    }

    /** Logs of both processes, for failure messages. */
    public String logs() {
        return "--- gate log" + (gate == null ? "" : gate.isAlive() ? " (running)" : " (NOT running)") + " ---\n"
                + (gate == null ? "" : tail(gate.log()))
                + "\n--- registry log" + (registry == null ? "" : registry.isRunning() ? " (running)" : " (NOT running)")
                + " ---\n" + (registry == null ? "" : tail(registry.log()));
    }

    private static String tail(String s) {
        return s.length() <= 8000 ? s : "…" + s.substring(s.length() - 8000);
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception ignored) {
                // keep cleaning up
            }
        }
        TempDirs.deleteQuietly(dir);
    }
}
