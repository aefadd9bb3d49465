package io.portcullis.base;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's text files (config, htpasswd, access rules): read as UTF-8 with one-line {@link UserError}s,
 * and one comment rule: blank lines and lines whose first non-blank character is {@code #} say nothing.
 */
public final class TextFile {
    /** A line that says something: its number in the file (from 1) and its text, stripped. */
    public record Line(int number, String text) {
    }

    private TextFile() {
    }

    /**
     * @param what         what the file is, as the operator knows it ("htpasswd file")
     * @param whenMissing  what to do when it does not exist ("create it (see access.conf.example) or fix --access")
     */
    public static List<String> read(Path file, String what, String whenMissing) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(what + " " + file + " does not exist; " + whenMissing);
        } catch (AccessDeniedException e) {
            throw new UserError(what + " " + file + " is not readable by this user; fix its permissions");
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** The lines that say something, numbered as in the file. */
    public static List<Line> content(List<String> lines) {
        List<Line> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(new Line(i + 1, line));
            }
        }
        return out;
    }
}
