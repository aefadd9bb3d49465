package io.portcullis.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real gate: {@code java -Xmx… -jar portcullis.jar serve --listen 127.0.0.1:0 …} as a child process. Ready
 * when it logs {@code Listening on https://127.0.0.1:PORT}; killed on close.
 */
public final class GateProcess implements AutoCloseable {
    public static final Pattern LISTENING = Pattern.compile("Listening on https://127\\.0\\.0\\.1:(\\d+)");

    private final DaemonProcess process;
    private final int port;

    private GateProcess(DaemonProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GateProcess start(Path workDir, String upstream, TestPki.PemFiles pki, Users users, String xmx, String realm) {
        return start(workDir, upstream, pki, users, xmx, realm, List.of());
    }

    /** @param extraArgs more serve flags, e.g. {@code --access FILE} */
    public static GateProcess start(Path workDir, String upstream, TestPki.PemFiles pki, Users users, String xmx, String realm,
                                    List<String> extraArgs) {
        return start(workDir, upstream, pki, users, xmx, realm, extraArgs, false);
    }

    /**
     * @param stdoutUnread the gate's standard output (its access log) goes into a pipe nobody reads,
     *                     {@code serve | sleep}, as with a stuck log shipper; its standard error is logged as usual
     */
    public static GateProcess start(Path workDir, String upstream, TestPki.PemFiles pki, Users users, String xmx, String realm,
                                    List<String> extraArgs, boolean stdoutUnread) {
        List<String> cmd = new ArrayList<>(List.of(Tools.javaBinary().toString(), "-Xmx" + xmx,
                "-jar", Tools.gateJar().toString(), "serve",
                "--upstream", upstream,
                "--cert", pki.cert().toString(),
                "--key", pki.key().toString(),
                "--htpasswd", users.file().toString(),
                "--tls-engine", io.portcullis.testing.TestTlsEngine.name()));
        if (realm != null) {
            cmd.add("--realm");
            cmd.add(realm);
        }
        // the gate's own state in its work dir, never in the checkout the tests run from
        if (!extraArgs.contains("--state-dir")) {
            cmd.addAll(List.of("--state-dir", workDir.resolve("state").toString()));
        }
        if (!extraArgs.contains("--listen")) {
            // a port the kernel picks; a test that must know it before start (an SSO redirect URL) gives its own
            cmd.addAll(List.of("--listen", "127.0.0.1:0"));
        }
        cmd.addAll(extraArgs);
        Path log = workDir.resolve("gate.log");
        if (stdoutUnread) {
            cmd.addAll(0, List.of("sh", "-c", "\"$0\" \"$@\" 2>>'" + log + "' | sleep 3600"));
        }
        DaemonProcess p = new DaemonProcess("portcullis gate", cmd, log);
        p.start();
        try {
            Matcher m = p.awaitLog(LISTENING, 0, Duration.ofSeconds(60));
            return new GateProcess(p, Integer.parseInt(m.group(1)));
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /** The process id of the gate's JVM (of the shell around it when its standard output is unread). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, the registry name users type. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** {@code https://127.0.0.1:PORT} */
    public String url() {
        return "https://" + hostPort();
    }

    /** Waits for a log line matching {@code pattern} at or after character {@code from} of the log. */
    public Matcher awaitLog(Pattern pattern, int from, Duration timeout) {
        return process.awaitLog(pattern, from, timeout);
    }

    public String log() {
        return process.log();
    }

    /** SIGTERM and wait up to {@code grace}: the exit code, or -1 when it had to be killed. */
    public int stop(Duration grace) {
        return process.stop(grace);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
