package io.portcullis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering, checked over the compiled classes: a package may use only packages in a lower layer,
 * never one in its own layer or above, so there are no package cycles and no upward arrows. Run on its own with
 * {@code mvn -o test -Dtest=LayeringTest}.
 *
 * <p>Read from each class file's constant pool (every class, field and method reference and every signature is
 * a UTF-8 constant there naming {@code io/portcullis/PACKAGE/…}), so imports, fully qualified names, lambdas and
 * generic signatures all count. A hand-written check rather than ArchUnit: one rule, no new dependency, the same
 * facts. ARCHITECTURE.md "The layers" draws them.
 */
class LayeringTest {
    /** Top first. {@code ""} is the root package (Main). */
    static final List<List<String>> LAYERS = List.of(
            List.of(""),
            List.of("cli"),
            List.of("app"),
            List.of("server", "reload"),
            List.of("ui"),
            List.of("audit", "frontdoor", "sso"),
            List.of("auth", "listing"),
            List.of("access", "maintenance"),
            List.of("proxy", "directory", "upstream"),
            List.of("token"),
            List.of("shared"),
            List.of("observe", "api", "tls", "config", "state"),
            List.of("exchange"),
            List.of("base"));

    private static final Path CLASSES = Path.of("target", "classes", "io", "portcullis");
    private static final Pattern REFERENCE = Pattern.compile("io/portcullis/(?:([a-z]+)/|[A-Z])");

    @Test
    void everyPackageUsesOnlyPackagesBelowIt() throws IOException {
        Map<String, Integer> layer = new java.util.HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                layer.put(p, i);
            }
        }
        List<String> violations = new ArrayList<>();
        TreeSet<String> unplaced = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String from = packageOf(CLASSES.relativize(file));
                if (!layer.containsKey(from)) {
                    unplaced.add(from);
                    continue;
                }
                for (String to : referencedPackages(file)) {
                    if (to.equals(from)) {
                        continue;
                    }
                    if (!layer.containsKey(to)) {
                        unplaced.add(to);
                    } else if (layer.get(to) <= layer.get(from)) {
                        violations.add(name(from) + " -> " + name(to) + " in " + CLASSES.relativize(file));
                    }
                }
            }
        }
        assertTrue(unplaced.isEmpty(), "packages not in LayeringTest.LAYERS: " + unplaced);
        assertEquals(List.of(), violations.stream().sorted().distinct().toList(),
                "a package may use only packages in a lower layer (LayeringTest.LAYERS)");
    }

    @Test
    void theCheckSeesReferences() {
        // guards against a check that passes because it reads nothing
        assertTrue(referencedPackages(CLASSES.resolve("server").resolve("Gate.class")).contains("observe"));
        assertTrue(referencedPackages(CLASSES.resolve("Main.class")).contains("cli"));
    }

    private static String packageOf(Path relative) {
        return relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "(root)" : pkg;
    }

    static TreeSet<String> referencedPackages(Path classFile) {
        String text;
        try {
            text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TreeSet<String> packages = new TreeSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            packages.add(m.group(1) == null ? "" : m.group(1));
        }
        return packages;
    }
}
