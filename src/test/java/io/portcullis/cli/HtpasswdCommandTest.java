package io.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HtpasswdCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = PortcullisCommand.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
    }

    @Test
    void printsAnEntryThatApacheHtpasswdAccepts() throws Exception {
        Outcome o = run("s3cret pass\n", "htpasswd", "alice", "--password-stdin", "--cost", "5");

        assertEquals(0, o.exitCode(), o.stderr());
        String entry = o.stdout().strip();
        assertTrue(entry.startsWith("alice:$2y$05$"), entry);
        Path file = dir.resolve("users");
        Files.writeString(file, entry + "\n");
        assertEquals(0, Cmd.in(dir, "htpasswd", "-vb", file.toString(), "alice", "s3cret pass").exitCode());
        assertEquals(3, Cmd.in(dir, "htpasswd", "-vb", file.toString(), "alice", "wrong").exitCode());
    }

    @Test
    void appendsToAFileCreatedPrivateAndRefusesADuplicateUser() throws Exception {
        Path file = dir.resolve("auth-htpasswd");
        assertEquals(0, run("one\n", "htpasswd", "alice", "--password-stdin", "--cost", "4", "--file", file.toString()).exitCode());
        assertEquals(0, run("two\n", "htpasswd", "bob", "--password-stdin", "--cost", "4", "--file", file.toString()).exitCode());

        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(2, Files.readAllLines(file).size());
        Outcome again = run("three\n", "htpasswd", "alice", "--password-stdin", "--file", file.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("already has user 'alice'"), again.stderr());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aMissingDirectoryIsOneClearLineNotAStackTrace() {
        Path file = dir.resolve("auth").resolve("htpasswd");
        Outcome o = run("pw\n", "htpasswd", "alice", "--password-stdin", "--cost", "4", "--file", file.toString());

        assertEquals(1, o.exitCode(), o.stderr());
        assertEquals("portcullis: error: cannot create " + file + ": the directory " + dir.resolve("auth")
                + " does not exist; create it first (mkdir -p " + dir.resolve("auth") + ")", o.stderr().strip());
        assertFalse(Files.exists(dir.resolve("auth")), "nothing created");
    }

    @Test
    void refusesBadInput() {
        assertEquals(1, run("pw\n", "htpasswd", "a:b", "--password-stdin").exitCode());
        assertEquals(1, run("\n", "htpasswd", "alice", "--password-stdin").exitCode());
        assertEquals(1, run("pw\n", "htpasswd", "alice", "--password-stdin", "--cost", "3").exitCode());
        Outcome noTerminal = run("pw\n", "htpasswd", "alice");
        assertEquals(1, noTerminal.exitCode());
        assertTrue(noTerminal.stderr().contains("--password-stdin"), noTerminal.stderr());
    }
}
