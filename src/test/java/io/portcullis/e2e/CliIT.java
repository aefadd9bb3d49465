package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.TempDirs;
import io.portcullis.testing.TestPki;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The user-facing commands besides serve: gen-cert output checked with openssl, htpasswd with Apache's tool and a live gate, and user errors. */
@NeedsTools({"openssl", "htpasswd"})
class CliIT {
    private static Path dir;

    @BeforeAll
    static void up() {
        dir = TempDirs.create("cli");
    }

    @AfterAll
    static void down() {
        TempDirs.deleteQuietly(dir);
    }

    private static Cmd portcullis(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString()));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).timeout(Duration.ofSeconds(60));
    }

    @Test
    void genCertMakesAChainOpensslVerifiesWithIpAndDnsSubjectAltNames() {
        Tools.require("openssl", "openssl");
        TestPki.PemFiles pki = TestPki.genCert(dir.resolve("pki"));
        Cmd.Result verify = Cmd.of("openssl", "verify", "-CAfile", pki.caCert().toString(), pki.cert().toString()).ok();
        assertTrue(verify.stdout().contains(": OK"), verify::describe);
        Cmd.Result san = Cmd.of("openssl", "x509", "-in", pki.cert().toString(), "-noout", "-ext", "subjectAltName").ok();
        for (String entry : List.of("IP Address:127.0.0.1", "DNS:localhost", "IP Address:0:0:0:0:0:0:0:1")) {
            assertTrue(san.stdout().contains(entry), () -> entry + " missing: " + san.describe());
        }
        // the key must match the leaf: same public key
        String certPub = Cmd.of("openssl", "x509", "-in", pki.cert().toString(), "-noout", "-pubkey").ok().stdout();
        String keyPub = Cmd.of("openssl", "pkey", "-in", pki.key().toString(), "-pubout").ok().stdout();
        assertEquals(certPub.strip(), keyPub.strip(), "docker-registry.key does not belong to docker-registry.crt");
    }

    @Test
    void htpasswdCommandWritesEntriesApacheAndTheGateAccept() throws IOException {
        Tools.require("htpasswd", "apache2-utils");
        Cmd.Result printed = portcullis("htpasswd", "dave", "--password-stdin", "--cost", "5").stdin("dave pw 1\n").ok();
        String line = printed.stdout().strip();
        assertTrue(line.matches("dave:\\$2y\\$05\\$[./A-Za-z0-9]{53}"), printed::describe);

        Path file = dir.resolve("users.htpasswd");
        Files.writeString(file, Cmd.of("htpasswd", "-nbB", "-C", "5", "erin", "erin-pw").ok().stdout().strip() + "\n");
        portcullis("htpasswd", "dave", "--password-stdin", "--cost", "5", "--file", file.toString()).stdin("dave pw 1\n").ok();
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), () -> "expected erin + dave: " + lines);
        assertTrue(lines.get(0).startsWith("erin:") && lines.get(1).startsWith("dave:"), lines::toString);
        Cmd.Result apache = Cmd.of("htpasswd", "-vb", file.toString(), "dave", "dave pw 1").run();
        assertEquals(0, apache.exitCode(), () -> "Apache htpasswd does not accept the entry: " + apache.describe());
        Cmd.of("htpasswd", "-vb", file.toString(), "dave", "wrong").run().assertFails();
    }

    @Test
    void serveWithAMissingCertificateIsAOneLineUserError() {
        Tools.require("htpasswd", "apache2-utils");
        Users users = Users.create(dir.resolve("htpasswd-serve"));
        Cmd.Result r = portcullis("serve", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9",
                "--cert", dir.resolve("nope.crt").toString(), "--key", dir.resolve("nope.key").toString(),
                "--htpasswd", users.file().toString()).run();
        assertEquals(1, r.exitCode(), r::describe);
        List<String> errorLines = r.stderr().lines().filter(l -> l.startsWith("portcullis: error: ")).toList();
        assertEquals(1, errorLines.size(), r::describe);
        assertTrue(errorLines.get(0).contains("nope.crt"), () -> "the message should name the missing file: " + r.describe());
        assertTrue(!r.stderr().contains("\tat "), () -> "a user error must not print a stack trace: " + r.describe());
    }
}
