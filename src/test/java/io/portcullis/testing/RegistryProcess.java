package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real CNCF distribution registry ({@code docker-registry serve config.yml}, the code of registry:2) on
 * 127.0.0.1 with filesystem storage in a temp dir, deletes enabled and no auth of its own. The first
 * start binds port 0 and reads the port from its log line {@code msg="listening on 127.0.0.1:NNNN"};
 * {@link #stop()} followed by {@link #start()} brings it back on the same port and storage.
 */
public final class RegistryProcess implements AutoCloseable {
    public static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Path dir;
    private final Path config;
    private final String secret = UUID.randomUUID().toString();
    private final DaemonProcess process;
    private int port;

    private RegistryProcess(Path dir) {
        this.dir = dir;
        this.config = dir.resolve("config.yml");
        Path binary = Tools.require("docker-registry", "docker-registry");
        this.process = new DaemonProcess("docker-registry",
                List.of(binary.toString(), "serve", config.toString()), dir.resolve("registry.log"));
    }

    /** Starts a registry storing under {@code dir} (created if needed), on a port picked by the OS. */
    public static RegistryProcess start(Path dir) {
        try {
            Files.createDirectories(dir.resolve("storage"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RegistryProcess r = new RegistryProcess(dir);
        try {
            r.start();
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Starts (again): on port 0 the first time, on the port it had afterwards. */
    public void start() {
        writeConfig();
        int from = process.log().length();
        process.start();
        Matcher m = process.awaitLog(LISTENING, from, Duration.ofSeconds(30));
        int bound = Integer.parseInt(m.group(1));
        if (port != 0 && bound != port) {
            throw new AssertionError("registry came back on port " + bound + " instead of " + port);
        }
        port = bound;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        return process.log();
    }

    public Path dir() {
        return dir;
    }

    private void writeConfig() {
        String yaml = String.join("\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "  formatter: text",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "  maintenance:",
                "    uploadpurging:",
                "      enabled: false",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: " + secret,
                "");
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
