package io.portcullis.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds external tools on PATH; a test that needs a missing one is skipped with the package to install. */
public final class Tools {
    private Tools() {
    }

    public static Optional<Path> find(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test (or class, from a {@code @BeforeAll}) unless the tool is installed. */
    public static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        assumeTrue(found.isPresent(), () -> "skipped: '" + name + "' is not installed (Debian package "
                + debianPackage + "; scripts/test installs it when run as root)");
        return found.get();
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The gate jar built by {@code mvn package}, handed over by failsafe as system property portcullis.jar. */
    public static Path gateJar() {
        String jar = System.getProperty("portcullis.jar");
        if (jar == null || jar.isBlank()) {
            Path guess = Path.of("target", "portcullis.jar").toAbsolutePath();
            if (Files.isRegularFile(guess)) {
                return guess;
            }
            throw new AssertionError("system property portcullis.jar is not set (run via `mvn verify`)");
        }
        Path p = Path.of(jar);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("portcullis.jar not found at " + p + " (run `mvn package` first)");
        }
        return p;
    }

    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
