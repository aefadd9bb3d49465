package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BcryptHash;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Htpasswd;
import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.Pem;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.RequestParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access rules reload, judged by what the policy permits and by the lines logged. */
class AccessReloadTest {
    private static final Optional<String> ALICE = Optional.of("alice");

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private Path rules;
    private AccessPolicy policy;
    private Reloader reloader;

    @BeforeEach
    void start() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"),
                "alice:" + BcryptHash.hash("pw".getBytes(StandardCharsets.UTF_8), 4) + "\n");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        KeyPair keys = CertificateGenerator.generateKeyPair(KeyType.EC, 0);
        Files.writeString(cert, Pem.certificates(List.of(CertificateGenerator.selfSignedLeaf(keys, List.of("localhost"), 30))));
        Files.writeString(key, Pem.privateKey(keys.getPrivate()));
        rules = Files.writeString(dir.resolve("access.conf"), "allow alice pull **\n");

        policy = AccessPolicy.load(rules);
        Authenticator authenticator = new Authenticator(Htpasswd.load(htpasswd), new CredentialCache(100, Duration.ofMinutes(5)));
        reloader = new Reloader(List.of(new CertificateReload(ServerTls.create(TlsMaterial.load(cert, key, null)), cert, key,
                Optional.empty()), new HtpasswdReload(authenticator, htpasswd), new AccessReload(policy)), log);
    }

    @AfterEach
    void stop() {
        reloader.close();
    }

    private boolean alicePushes() {
        return permits(policy, ALICE, "PUT", "/v2/team/app/manifests/1", "");
    }

    /** Replaces the file the way editors and `kubectl apply` do: write elsewhere, rename over. */
    private void replaceFile(String content) throws Exception {
        Path temp = Files.writeString(dir.resolve("access.tmp"), content);
        Files.move(temp, rules, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aChangedFileTakesEffectOnTheNextRequest() throws Exception {
        reloader.watch(Reloader.QUIET_PERIOD);
        assertFalse(alicePushes());

        replaceFile("group devs = alice\nallow @devs pull,push team/**\n");

        assertEquals("INFO Reloaded access rules " + rules + ": 1 rule, 1 group (was 1 rule)", log.awaitStartingWith(0, "INFO"));
        assertTrue(alicePushes());
    }

    @Test
    void aMistakeIsLoggedWithFileAndLineAndTheRulesInForceStay() throws Exception {
        reloader.watch(Reloader.QUIET_PERIOD);

        replaceFile("allow alice pull,push **\nallow alice pul **\n");

        assertEquals("WARN access rules not reloaded, keeping the 1 rule in force: access file " + rules
                + " line 2: unknown action 'pul'; use pull, push, delete (comma-separated), catalog or tokens", log.awaitStartingWith(0, "WARN"));
        assertFalse(alicePushes(), "the last good rules stay");
        assertTrue(permits(policy, ALICE, "GET", "/v2/team/app/manifests/1", ""));

        replaceFile("allow alice pull,push **\n");
        log.awaitStartingWith(1, "INFO");
        assertTrue(alicePushes(), "the fixed file is picked up like any change");
    }

    @Test
    void reloadAllChecksTheRulesToo() throws Exception {
        reloader.reloadAll("SIGHUP");
        assertEquals(List.of("INFO SIGHUP: nothing changed"), log.lines());

        // no watcher running in this test: only the explicit reload sees the new file
        Files.writeString(rules, "allow alice pull,push **\n");
        reloader.reloadAll("SIGHUP");

        assertEquals("INFO Reloaded access rules " + rules + ": 1 rule, 0 groups (was 1 rule)", log.lines().get(1));
        assertTrue(alicePushes());
    }
    /** The policy's decision on the parse of a request target, as the gate makes it. */
    private static boolean permits(AccessPolicy policy, Optional<String> user, String method, String path, String query) {
        ParsedRequest parsed = RequestParser.parse(method, path, query, List.of());
        return parsed instanceof RegistryOperation operation && policy.permits(user, operation);
    }
}
