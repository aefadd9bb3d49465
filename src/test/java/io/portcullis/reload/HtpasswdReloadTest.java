package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BcryptHash;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Credentials;
import io.portcullis.auth.Htpasswd;
import io.portcullis.testing.Cmd;
import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.Pem;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** htpasswd reload and SIGHUP, judged by who the Authenticator lets in and by the lines logged. */
class HtpasswdReloadTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private Path htpasswd;
    private Authenticator authenticator;
    private Reloader reloader;

    private static String entry(String user, String password) {
        return user + ":" + BcryptHash.hash(password.getBytes(StandardCharsets.UTF_8), 4);
    }

    /** Credentials as the gate gets them: from the Authorization header of a request. */
    private static Credentials creds(String user, String password) {
        HeaderMap headers = new HeaderMap();
        headers.put(Headers.AUTHORIZATION, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return Credentials.from(headers).orElseThrow();
    }

    /** What BasicAuthHandler does per request: cache first, bcrypt on a miss. */
    private boolean accepted(String user, String password) {
        Credentials c = creds(user, password);
        return authenticator.isRemembered(c) || authenticator.verify(c);
    }

    @BeforeEach
    void start() throws Exception {
        htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, entry("alice", "alice-pw") + "\n" + entry("bob", "bob-pw") + "\n");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        KeyPair keys = CertificateGenerator.generateKeyPair(KeyType.EC, 0);
        X509Certificate leaf = CertificateGenerator.selfSignedLeaf(keys, List.of("localhost"), 30);
        Files.writeString(cert, Pem.certificates(List.of(leaf)));
        Files.writeString(key, Pem.privateKey(keys.getPrivate()));

        authenticator = new Authenticator(Htpasswd.load(htpasswd), new CredentialCache(100, Duration.ofMinutes(5)));
        ServerTls tls = ServerTls.create(TlsMaterial.load(cert, key, null));
        reloader = new Reloader(List.of(new CertificateReload(tls, cert, key, Optional.empty()),
                new HtpasswdReload(authenticator, htpasswd)), log);
    }

    @AfterEach
    void stop() {
        reloader.close();
    }

    /** Replaces the file the way editors and `kubectl apply` do: write elsewhere, rename over. */
    private void replaceFile(String content) throws Exception {
        Path temp = Files.writeString(dir.resolve("htpasswd.tmp"), content);
        Files.move(temp, htpasswd, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void removedChangedAndAddedUsersTakeEffectOnTheNextRequest() throws Exception {
        reloader.watch(Reloader.QUIET_PERIOD);
        assertTrue(accepted("alice", "alice-pw"));
        assertTrue(accepted("bob", "bob-pw"));

        replaceFile(entry("alice", "alice-new") + "\n" + entry("carol", "carol-pw") + "\n");

        assertEquals("INFO Reloaded htpasswd " + htpasswd + ": 2 users (was 2; 1 added, 1 removed, 1 changed)",
                log.awaitStartingWith(0, "INFO"));
        assertFalse(accepted("bob", "bob-pw"), "a removed user is refused although the cache knew him");
        assertFalse(accepted("alice", "alice-pw"), "the old password no longer works");
        assertTrue(accepted("alice", "alice-new"));
        assertTrue(accepted("carol", "carol-pw"), "an added user works without restart");
    }

    @Test
    void aMalformedFileIsLoggedWithFileAndLineAndTheLastGoodUsersStay() throws Exception {
        reloader.watch(Reloader.QUIET_PERIOD);
        String plainText = "mallory:hunter2-plain";

        replaceFile(entry("alice", "alice-new") + "\n" + plainText + "\n");

        String warning = log.awaitStartingWith(0, "WARN");
        assertTrue(warning.startsWith("WARN htpasswd not reloaded, the previous 2 users stay in service: htpasswd file "
                + htpasswd + " line 2: user 'mallory'"), warning);
        assertFalse(warning.contains("hunter2") || warning.contains("$2y$04$"), "no password or hash in the log");
        assertTrue(accepted("alice", "alice-pw"), "the last good users stay");
        assertTrue(accepted("bob", "bob-pw"));
        assertFalse(accepted("alice", "alice-new"));
        assertEquals(2, authenticator.userCount());

        // fixed file: picked up like any change
        replaceFile(entry("alice", "alice-new") + "\n");
        assertEquals("INFO Reloaded htpasswd " + htpasswd + ": 1 user (was 2; 0 added, 1 removed, 1 changed)",
                log.awaitStartingWith(1, "INFO"));
        assertTrue(accepted("alice", "alice-new"));
    }

    @Test
    void anEmptyFileIsAcceptedWithAWarning() throws Exception {
        reloader.watch(Reloader.QUIET_PERIOD);

        replaceFile("# everyone removed\n");

        log.await(0, l -> l.startsWith("WARN"), Duration.ofSeconds(20));
        assertEquals(List.of("INFO Reloaded htpasswd " + htpasswd + ": 0 users (was 2; 0 added, 2 removed, 0 changed)",
                "WARN " + htpasswd + " has no users: every request will be refused"), log.lines());
        assertFalse(accepted("alice", "alice-pw"));
    }

    @Test
    void reloadAllSaysNothingChangedOrReloadsWhatDid() throws Exception {
        reloader.reloadAll("SIGHUP");
        assertEquals(List.of("INFO SIGHUP: nothing changed"), log.lines());

        // no watcher running in this test: only the explicit reload sees the new file
        Files.writeString(htpasswd, Files.readString(htpasswd) + entry("dave", "d") + "\n");
        reloader.reloadAll("SIGHUP");

        assertEquals(List.of("INFO SIGHUP: nothing changed",
                "INFO Reloaded htpasswd " + htpasswd + ": 3 users (was 2; 1 added, 0 removed, 0 changed)"), log.lines());
        assertTrue(accepted("dave", "d"));
    }

    @Test
    void aRealSighupReloads() throws Exception {
        assumeTrue(reloader.onSighup(), "this JVM does not let us handle SIGHUP");

        Files.writeString(htpasswd, entry("erin", "erin-pw") + "\n");
        Cmd.of("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).ok();

        assertEquals("INFO Reloaded htpasswd " + htpasswd + ": 1 user (was 2; 1 added, 2 removed, 0 changed)",
                log.awaitStartingWith(0, "INFO"));
        assertTrue(accepted("erin", "erin-pw"));
    }
}
