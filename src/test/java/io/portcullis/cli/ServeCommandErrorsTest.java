package io.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every start-up mistake ends in exit code 1 and one line that says what to fix, never a stack trace. */
class ServeCommandErrorsTest {
    @TempDir
    Path dir;

    Path cert;
    Path key;
    Path htpasswd;

    @BeforeEach
    void validFiles() throws Exception {
        CommandLine gen = new CommandLine(new GenCertCommand());
        gen.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, gen.execute("--out-dir", dir.resolve("ssl").toString(), "--host", "127.0.0.1"));
        cert = dir.resolve("ssl/docker-registry.crt");
        key = dir.resolve("ssl/docker-registry.key");
        htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, "bob:$2y$05$IgmtONhWMAESuIjPSlmFMOKXyGgEoVAdDul5Zty.EH0W40UkOD9He\n");
    }

    private record Outcome(int exitCode, String stderr) {
    }

    private Outcome serve(String... extra) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9",
                "--cert", cert.toString(), "--key", key.toString(), "--htpasswd", htpasswd.toString()));
        flags.put("--state-dir", dir.resolve("state").toString()); // never the checkout the tests run from
        for (int i = 0; i + 1 < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("serve"));
        flags.forEach((flag, value) -> args.add(flag + "=" + value));
        CommandLine cl = PortcullisCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        return new Outcome(code, err.toString());
    }

    private static void assertOneLineError(Outcome o, String... mustContain) {
        assertEquals(1, o.exitCode(), o.stderr());
        String text = o.stderr().strip();
        assertTrue(text.startsWith("portcullis: error: "), text);
        assertFalse(text.contains("\n"), "one line, no stack trace: " + text);
        for (String s : mustContain) {
            assertTrue(text.contains(s), "expected '" + s + "' in: " + text);
        }
    }

    @Test
    void aMistakeInTheAccessFileNamesFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("access.conf"), "group ci = robot\nallow @ci pul team-a/**\n");
        assertOneLineError(serve("--access", rules.toString()), "access file " + rules, "line 2", "unknown action 'pul'");
        assertOneLineError(serve("--access", dir.resolve("missing.conf").toString()), "missing.conf", "does not exist");
    }

    @Test
    void missingCertificate() {
        assertOneLineError(serve("--cert", dir.resolve("nope.crt").toString()), "nope.crt");
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() {
        CommandLine gen = new CommandLine(new GenCertCommand());
        gen.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, gen.execute("--out-dir", dir.resolve("other").toString()));
        assertOneLineError(serve("--key", dir.resolve("other/docker-registry.key").toString()), "does not match");
    }

    @Test
    void encryptedKeyWithTheWrongPassword() throws Exception {
        Path encrypted = dir.resolve("enc.key");
        Path password = dir.resolve("pw");
        Files.writeString(password, "wrong\n");
        Cmd.openssl(dir, "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(),
                "-v2", "aes-256-cbc", "-passout", "pass:right").assertOk();
        assertOneLineError(serve("--key", encrypted.toString(), "--key-password-file", password.toString()), "password");
    }

    @Test
    void malformedHtpasswdNamesTheLineButNotTheHash() throws Exception {
        Files.writeString(htpasswd, "bob:$2y$05$IgmtONhWMAESuIjPSlmFMOKXyGgEoVAdDul5Zty.EH0W40UkOD9He\ncarol:$apr1$jYlAUw1d$OkYD2TVT\n");
        Outcome o = serve();
        assertOneLineError(o, "line 2", "carol");
        assertFalse(o.stderr().contains("jYlAUw1d"));
    }

    @Test
    void plainTextHtpasswdEntryIsRefusedWithoutEchoingIt() throws Exception {
        Files.writeString(htpasswd, "dave:hunter2\n");
        Outcome o = serve();
        assertOneLineError(o, "line 1", "dave", "plain-text");
        assertFalse(o.stderr().contains("hunter2"));
    }

    @Test
    void badUpstreamUrl() {
        assertOneLineError(serve("--upstream", "registry:5000"), "--upstream");
    }

    @Test
    void portAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertOneLineError(serve("--listen", "127.0.0.1:" + taken.getLocalPort()), "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitCode2() {
        Outcome o = serve("--lisen", "x");
        assertEquals(2, o.exitCode());
        assertTrue(o.stderr().contains("--lisen"), o.stderr());
    }
}
