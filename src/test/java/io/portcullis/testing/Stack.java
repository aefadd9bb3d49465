package io.portcullis.testing;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The "gate in front of the real registry" fixture: everything one test class needs, in a private temp dir: a real
 * registry, certificates from gen-cert, an htpasswd file and the real jar's gate in front. {@link #close()} stops
 * the processes and removes the temp dir, and a failed start cleans up what it had started.
 *
 * <p>A JUnit 5 extension for a stack shared by a test class: {@code @RegisterExtension static final Stack stack =
 * Stack.fixture("name");} starts it before the class's {@code @BeforeAll} methods and closes it after all its tests.
 * A test that needs a stack of its own (or one set up differently per test) uses {@code try (Stack s = Stack.start(…))}.
 */
public final class Stack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String REALM = "Portcullis E2E";

    private final String name;
    private final String gateXmx;
    private final Function<Path, List<String>> gateArgs;
    private final boolean gateStdoutUnread;
    private Path dir;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private RegistryProcess registry;
    private TestPki.PemFiles pki;
    private Users users;
    private GateProcess gate;

    private Stack(String name, String gateXmx, Function<Path, List<String>> gateArgs, boolean gateStdoutUnread) {
        this.name = name;
        this.gateXmx = gateXmx;
        this.gateArgs = gateArgs;
        this.gateStdoutUnread = gateStdoutUnread;
    }

    /** The extension form of {@link #start(String)}: started before all tests of the class, closed after. */
    public static Stack fixture(String name) {
        return fixture(name, "256m", dir -> List.of());
    }

    /** The extension form of {@link #start(String, String, Function)}. */
    public static Stack fixture(String name, String gateXmx, Function<Path, List<String>> gateArgs) {
        return new Stack(name, gateXmx, gateArgs, false);
    }

    /** The extension form of {@link #startWithAccessRules}. */
    public static Stack fixtureWithAccessRules(String name, String rules) {
        return fixture(name, "256m", dir -> List.of("--access", AuditSupport.write(dir.resolve("access.conf"), rules).toString()));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
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
        Stack s = new Stack(name, gateXmx, gateArgs, gateStdoutUnread);
        s.startNow();
        return s;
    }

    private void startNow() {
        dir = TempDirs.create(name);
        try {
            users = Users.create(dir.resolve("htpasswd"));
            registry = own(RegistryProcess.start(dir.resolve("registry")));
            pki = TestPki.genCert(dir.resolve("pki"));
            gate = own(GateProcess.start(dir, registry.url(), pki, users, gateXmx, REALM, gateArgs.apply(dir), gateStdoutUnread));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A stack whose gate runs with {@code --access} and these rules, written to the stack's temp dir. */
    public static Stack startWithAccessRules(String name, String rules) {
        return start(name, "256m", dir -> List.of("--access", AuditSupport.write(dir.resolve("access.conf"), rules).toString()));
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
        if (dir != null) {
            TempDirs.deleteQuietly(dir);
        }
    }
}
