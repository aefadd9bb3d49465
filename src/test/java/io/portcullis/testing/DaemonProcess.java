package io.portcullis.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running child process (registry, gate, dockerd, a client left running in the background) whose
 * stdout+stderr go to a log file, with a way to wait for a log line or its exit and a stop that escalates from
 * SIGTERM to SIGKILL. A JVM shutdown hook kills it if the test JVM exits without closing it. The one runner
 * for processes a test does not simply wait for; those go through {@link Cmd}.
 */
public class DaemonProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path logFile;
    private Process process;
    private Thread hook;
    private boolean stdinOpen;

    public DaemonProcess(String name, List<String> command, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = logFile;
    }

    /** Gives the process a pipe for {@link #stdin()} instead of /dev/null; call before {@link #start()}. */
    public DaemonProcess keepStdinOpen() {
        this.stdinOpen = true;
        return this;
    }

    /** Its standard input, when {@link #keepStdinOpen()} was asked for. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits up to {@code timeout} for the process to exit by itself; true if it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(stdinOpen ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + name + ": " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Process p = process;
        hook = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    /** Everything the process has printed so far (all runs, as the log file is appended to). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Polls the log (from character offset {@code from}) until {@code pattern} matches; fails early if the
     * process dies, and with the whole log when the deadline passes.
     */
    public Matcher awaitLog(Pattern pattern, int from, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String log = log();
            Matcher m = pattern.matcher(log);
            if (m.find(Math.min(from, log.length()))) {
                return m;
            }
            if (!isAlive()) {
                throw new AssertionError(name + " exited (code " + exitCode() + ") before logging /" + pattern
                        + "/\ncommand: " + String.join(" ", command) + "\n--- log ---\n" + log);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not log /" + pattern + "/ within " + timeout.toSeconds()
                        + " s\ncommand: " + String.join(" ", command) + "\n--- log ---\n" + log);
            }
            Poll.pause(50);
        }
    }

    private String exitCode() {
        try {
            return String.valueOf(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    /**
     * SIGTERM, then SIGKILL after {@code grace}; waits until the process is gone.
     *
     * @return the exit code, or -1 when it had to be killed or was not running
     */
    public synchronized int stop(Duration grace) {
        if (process == null) {
            return -1;
        }
        int exitCode = -1;
        Process p = process;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                exitCode = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
                Poll.until(() -> !child.isAlive(), grace);
                child.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
        process = null;
        return exitCode;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
