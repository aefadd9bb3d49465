package io.portcullis.cli;

import io.portcullis.base.UserError;
import io.portcullis.auth.BcryptHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis htpasswd USER}: makes a bcrypt ({@code $2y$}) entry, like {@code htpasswd -B}. The password
 * comes from a prompt or stdin, never from the command line, where other users could read it in the process list.
 * This admin tool appends to a file when asked; the gate itself never writes the htpasswd.
 */
@Command(name = "htpasswd", mixinStandardHelpOptions = true,
        description = {"Print (or append to a file) a bcrypt htpasswd entry for USER.",
                "The password is read from the terminal (asked twice) or, with --password-stdin, from the first line of stdin."})
public final class HtpasswdCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "USER", description = "User name (no ':' or spaces).")
    String user;

    @Option(names = "--file", paramLabel = "FILE", description = "Append the entry to FILE (created 0640 if missing) instead of printing it.")
    Path file;

    @Option(names = "--cost", paramLabel = "N", defaultValue = "10",
            description = "bcrypt cost, 4 to 31 (default: ${DEFAULT-VALUE}; each step doubles the time of a check).")
    int cost;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin (for scripts).")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        if (user.isEmpty() || !user.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != ':')) {
            throw new UserError("user name '" + user + "' must not be empty or contain ':', spaces or control characters");
        }
        if (cost < 4 || cost > 31) {
            throw new UserError("--cost must be from 4 to 31 (got " + cost + ")");
        }
        char[] password = passwordStdin ? fromStdin() : fromTerminal();
        byte[] bytes = new String(password).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(password, '\0');
        if (bytes.length == 0) {
            throw new UserError("the password is empty");
        }
        String entry = user + ":" + BcryptHash.hash(bytes, cost);
        Arrays.fill(bytes, (byte) 0);
        if (file == null) {
            System.out.println(entry);
        } else {
            append(file, entry);
            System.err.println("Added " + user + " to " + file);
        }
        return 0;
    }

    private static char[] fromStdin() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new UserError("--password-stdin given but stdin is empty");
        }
        return line.toCharArray();
    }

    private static char[] fromTerminal() {
        Console console = System.console();
        if (console == null) {
            throw new UserError("no terminal to ask for the password; pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new UserError("the two passwords differ");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    /** File-system failures are the user's to fix (a missing directory, permissions): one line, no trace. */
    private void append(Path file, String entry) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError("cannot create " + file + ": the directory " + dir + " does not exist; create it first (mkdir -p "
                    + dir + ")");
        }
        try {
            appendEntry(file, entry);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check the path and its permissions");
        }
    }

    private void appendEntry(Path file, String entry) throws IOException {
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(user + ":")) {
                    throw new UserError(file + " already has user '" + user + "'; remove that line first to replace it");
                }
            }
        } else {
            createPrivate(file);
        }
        boolean needsNewline = Files.size(file) > 0 && !endsWithNewline(file);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write((needsNewline ? "\n" : "") + entry + "\n");
        }
    }

    /** Owner read-write, group read (for a gate running as another user of the group), others nothing. */
    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return all.length > 0 && all[all.length - 1] == '\n';
    }
}
