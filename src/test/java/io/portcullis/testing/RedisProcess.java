package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real Redis ({@code redis-server}, Debian's package) on 127.0.0.1, without persistence, optionally with a
 * password. Redis cannot bind port 0, so a free port is found first and the start retried on another if it was
 * taken meanwhile. {@link #stop()} then {@link #start()} brings it back, empty, on the same port; {@link #pause()}
 * (SIGSTOP) and {@link #resume()} (SIGCONT) stall it the way a hung server does: connections stay open, no reply.
 */
public final class RedisProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("[Rr]eady to accept connections");

    private final Path dir;
    private final String password;
    private final int port;
    private DaemonProcess process;

    private RedisProcess(Path dir, String password, int port) {
        this.dir = dir;
        this.password = password;
        this.port = port;
    }

    public static RedisProcess start(Path dir) {
        return start(dir, null);
    }

    /** @param password what clients must AUTH with, null for none */
    public static RedisProcess start(Path dir, String password) {
        Tools.require("redis-server", "redis-server");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisProcess redis = new RedisProcess(dir, password, FreePorts.next());
            try {
                redis.start();
                return redis;
            } catch (AssertionError e) {
                redis.stop();
                last = e;
            }
        }
        throw last;
    }

    /** Starts (again), empty, on its port. */
    public void start() {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("redis-server", "redis-server").toString(),
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        process = new DaemonProcess("redis-server", cmd, dir.resolve("redis-" + port + ".log"));
        int from = process.log().length();
        process.start();
        process.awaitLog(READY, from, Duration.ofSeconds(20));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGSTOP: the server keeps its connections and answers nothing. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** SIGKILL: gone at once, its data with it (no persistence). */
    public void kill() {
        signal("KILL");
        Poll.until(() -> !process.isAlive(), Duration.ofSeconds(10));
        process.stop(Duration.ofSeconds(1));
    }

    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(5));
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        resumeQuietly();
        stop();
    }

    private void resumeQuietly() {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (AssertionError | UncheckedIOException ignored) {
                // stopping anyway
            }
        }
    }
}
