package io.portcullis.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one external command with a bounded time, captures stdout and stderr, and turns a failure into an
 * {@link AssertionError} that shows the command line, the exit code and everything it printed.
 */
public final class Cmd {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Predicate<String> unset = name -> false;
    private boolean echo;
    private Duration timeout = Duration.ofSeconds(60);
    private byte[] stdin;
    private Path dir;

    private Cmd(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Cmd of(String... command) {
        return new Cmd(Arrays.asList(command));
    }

    /** The unit tests' short form: {@code command} run in {@code dir} (a scratch folder), within 30 s. */
    public static Result in(Path dir, String... command) {
        return of(command).dir(dir).timeout(Duration.ofSeconds(30)).run();
    }

    /** {@code openssl args...} run in {@code dir}, within 30 s. */
    public static Result openssl(Path dir, String... args) {
        return in(dir, concat(List.of("openssl"), args).toArray(String[]::new));
    }

    public static Cmd of(List<String> command) {
        return new Cmd(command);
    }

    public Cmd env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Cmd env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** Leaves out of the inherited environment every variable whose name matches. */
    public Cmd envWithout(Predicate<String> names) {
        this.unset = names;
        return this;
    }

    /** Also copies what the command prints to this JVM's stdout as it comes (for long scripts). */
    public Cmd echo() {
        this.echo = true;
        return this;
    }

    public Cmd timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public Cmd stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Cmd dir(Path dir) {
        this.dir = dir;
        return this;
    }

    /** Runs the command; a non-zero exit is returned, not thrown. A timeout kills it and throws. */
    public Result run() {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(unset);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + display() + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread tOut = pump(p.getInputStream(), out, echo);
        Thread tErr = pump(p.getErrorStream(), err, echo);
        try {
            if (stdin != null) {
                try (OutputStream os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the process may exit without reading its input; its exit code tells the story
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                tOut.join(5000);
                tErr.join(5000);
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + display()
                        + "\n--- stdout ---\n" + text(out) + "\n--- stderr ---\n" + text(err));
            }
            tOut.join(10_000);
            tErr.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + display(), e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(display(), p.exitValue(), text(out), text(err), elapsed);
    }

    /** Runs the command and fails the test, with its output, unless it exits 0. */
    public Result ok() {
        return run().assertOk();
    }

    private String display() {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(arg.isEmpty() || arg.matches(".*[\\s'\"$].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg);
        }
        return sb.toString();
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink, boolean echo) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                    if (echo) {
                        System.out.write(buf, 0, n);
                        System.out.flush();
                    }
                }
            } catch (IOException e) {
                // stream closed when the process was killed
            }
        }, "cmd-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** What a finished command left behind. */
    public record Result(String command, int exitCode, String stdout, String stderr, Duration elapsed) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("command failed (exit " + exitCode + "): " + describe());
            }
            return this;
        }

        public Result assertFails() {
            if (exitCode == 0) {
                throw new AssertionError("command was expected to fail but exited 0: " + describe());
            }
            return this;
        }

        /** stdout and stderr together, for asserting on what a user would read. */
        public String output() {
            return stdout + stderr;
        }

        public String describe() {
            return command + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    public static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(Arrays.asList(b));
        return all;
    }

    public static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
