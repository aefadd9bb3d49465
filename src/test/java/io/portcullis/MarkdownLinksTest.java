package io.portcullis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown files leads somewhere: the file exists, and a {@code #fragment} names
 * a heading of the target as GitHub turns headings into anchors. The README, ARCHITECTURE, CONTRIBUTING and docs/
 * point into each other a lot; a section moved or renamed without its links fails here instead of on a reader.
 */
class MarkdownLinksTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at the first space or ')'. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules", ".git", ".run", ".mvn");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> documents = markdownFiles();
        assertTrue(documents.contains(ROOT.resolve("README.md")), "README.md found from " + ROOT);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            for (String target : links(document)) {
                checked++;
                String problem = problem(document, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(document) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(checked > 100, "links found: " + checked);
        assertEquals(List.of(), broken, "broken relative links");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertEquals("compose-stack-tested-for-real", anchor("Compose stack, tested for real"));
        assertEquals("the-whole-bench-benchrun", anchor("The whole bench: bench/run"));
        assertEquals("tuning-done-each-measured-see-the-commit-messages",
                anchor("Tuning done (each measured, see the commit messages)"));
        assertEquals("where-a-new-check-goes", anchor("Where a *new check* goes"));
        assertEquals("config-and-settingsmd", anchor("`config` and `settings.md`"));
    }

    private static String problem(Path document, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? "" : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "leaves the project";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (!fragment.isEmpty() && resolved.toString().endsWith(".md") && !anchors(resolved).contains(fragment)) {
            return "no heading with anchor #" + fragment + " in " + ROOT.relativize(resolved);
        }
        return null;
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> ROOT.relativize(p).getNameCount() == 1 || !skipped(ROOT.relativize(p)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Links outside fenced code blocks and outside inline code spans. */
    private static List<String> links(Path document) throws IOException {
        List<String> found = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new HashSet<>();
        Set<String> seen = new HashSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String base = anchor(m.group(1));
                String made = base;
                for (int n = 1; !seen.add(made); n++) {
                    made = base + "-" + n;
                }
                anchors.add(made);
            }
        }
        return anchors;
    }

    /** GitHub's rule: lower case, drop what is not a letter, digit, space, '-' or '_', spaces become '-'. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-');
    }
}
