package io.portcullis.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Docker engine for one test class: {@code dockerd} with its own data root, exec root, unix socket,
 * pid file and an empty config file, no iptables and no bridge (nothing on the host changes). Needs root and
 * the docker.io package; otherwise the test is skipped with the reason. Clients get a private DOCKER_CONFIG.
 */
public final class Dockerd implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Path clientConfig;
    private final Path dockerClient;
    private DaemonProcess daemon;

    private Dockerd(Path dir, Path dockerClient) {
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.clientConfig = dir.resolve("client-config");
        this.dockerClient = dockerClient;
    }

    public static Dockerd start() {
        assumeTrue(Tools.isRoot(), "skipped: a private dockerd needs root (running as " + System.getProperty("user.name") + ")");
        Path dockerd = Tools.require("dockerd", "docker.io");
        Path docker = Tools.require("docker", "docker.io");
        Dockerd d = new Dockerd(TempDirs.create("dockerd"), docker);
        try {
            Files.createDirectories(d.clientConfig);
            Files.writeString(d.dir.resolve("daemon.json"), "{}\n");
            d.daemon = new DaemonProcess("dockerd", List.of(dockerd.toString(),
                    "--iptables=false", "--ip6tables=false", "--bridge=none",
                    "--data-root", d.dir.resolve("data").toString(),
                    "--exec-root", d.dir.resolve("exec").toString(),
                    "--pidfile", d.dir.resolve("dockerd.pid").toString(),
                    "--config-file", d.dir.resolve("daemon.json").toString(),
                    "-H", "unix://" + d.socket), d.dir.resolve("dockerd.log"));
            d.daemon.start();
            d.awaitReady(Duration.ofSeconds(60));
            return d;
        } catch (IOException e) {
            d.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Cmd.Result last = null;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited during startup\n--- dockerd log ---\n" + daemon.log());
            }
            if (Files.exists(socket)) {
                last = docker("version").timeout(Duration.ofSeconds(20)).run();
                if (last.exitCode() == 0) {
                    return;
                }
            }
            Poll.pause(100);
        }
        throw new AssertionError("dockerd did not answer `docker version` within " + timeout.toSeconds() + " s"
                + (last == null ? "" : "\n" + last.describe()) + "\n--- dockerd log ---\n" + daemon.log());
    }

    /** A docker client command against this daemon, with a private DOCKER_CONFIG. */
    public Cmd docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of(dockerClient.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("DOCKER_CONFIG", clientConfig.toString()).timeout(Duration.ofSeconds(180));
    }

    public Path clientConfig() {
        return clientConfig;
    }

    public String log() {
        return daemon == null ? "" : daemon.log();
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(30));
        }
        unmountUnder(dir);
        TempDirs.deleteQuietly(dir);
    }

    /** If dockerd died hard, overlay or shm mounts may remain under its data/exec roots: lazily unmount them. */
    private static void unmountUnder(Path dir) {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString())) {
                    mounts.add(f[1]);
                }
            }
            for (int i = mounts.size() - 1; i >= 0; i--) {
                Cmd.of("umount", "-l", mounts.get(i)).timeout(Duration.ofSeconds(20)).run();
            }
        } catch (IOException | AssertionError ignored) {
            // best effort
        }
    }
}
