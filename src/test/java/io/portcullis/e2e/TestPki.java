package io.portcullis.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The certificates a user would make: {@code portcullis gen-cert --ca --out-dir DIR --host 127.0.0.1
 * --host localhost --host ::1} writes a CA and a leaf for the gate. {@link #caDir()} is a directory that
 * holds only {@code ca.crt}, the shape skopeo's {@code --cert-dir} and docker's certs.d expect.
 */
public final class TestPki {
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static TestPki generate(Path dir) {
        Cmd.Result r = Cmd.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "gen-cert", "--ca",
                        "--out-dir", dir.toString(), "--host", "127.0.0.1", "--host", "localhost", "--host", "::1")
                .timeout(Duration.ofSeconds(60)).ok();
        TestPki pki = new TestPki(dir);
        for (Path p : List.of(pki.caCert(), pki.caKey(), pki.cert(), pki.key())) {
            if (!Files.isRegularFile(p)) {
                throw new AssertionError("gen-cert did not write " + p + ": " + r.describe());
            }
        }
        try {
            Path ca = Files.createDirectories(dir.resolve("trust"));
            Files.copy(pki.caCert(), ca.resolve("ca.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    /** The gate's certificate chain (leaf, then CA). */
    public Path cert() {
        return dir.resolve("docker-registry.crt");
    }

    public Path key() {
        return dir.resolve("docker-registry.key");
    }

    /** A directory holding only {@code ca.crt}: for {@code skopeo --cert-dir}. */
    public Path caDir() {
        return dir.resolve("trust");
    }
}
