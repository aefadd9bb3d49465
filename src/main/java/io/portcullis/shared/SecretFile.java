package io.portcullis.shared;

import io.portcullis.base.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A secret kept in a file so it never shows on a command line: its first line, without the line ending. */
final class SecretFile {
    private SecretFile() {
    }

    static String firstLine(Path file, String flag) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(flag + " " + file + " does not exist; set " + flag + " to a file whose first line is the password");
        } catch (IOException e) {
            throw new UserError(flag + " " + file + " cannot be read (" + e.getClass().getSimpleName() + "); fix its permissions");
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new UserError(flag + " " + file + " is empty; put the password on its first line");
        }
        return line;
    }
}
