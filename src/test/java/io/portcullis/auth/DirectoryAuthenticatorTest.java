package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.directory.LoginVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** htpasswd first, then the directory; a directory login is cached like a password, with its groups. */
class DirectoryAuthenticatorTest {
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicReference<LoginVerdict> answer = new AtomicReference<>(LoginVerdict.accepted(Set.of("developers")));
    private final Authenticator authenticator = new Authenticator(
            Htpasswd.parse("test", List.of("alice:" + BcryptHash.hash(bytes("file-pw"), 4))),
            new CredentialCache(100, Duration.ofMinutes(5)),
            Optional.of((user, password) -> {
                asked.incrementAndGet();
                return answer.get();
            }));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Credentials login(String user, String password) {
        return new Credentials(user, bytes(password));
    }

    @Test
    void oneDirectoryCheckServesAWholePushAndKeepsTheGroups() {
        assertTrue(authenticator.remembered(login("dora", "pw")).isEmpty());
        assertEquals(LoginVerdict.accepted(Set.of("developers")), authenticator.check(login("dora", "pw")));
        for (int layer = 0; layer < 16; layer++) {
            assertEquals(Optional.of(Set.of("developers")), authenticator.remembered(login("dora", "pw")));
        }
        assertEquals(1, asked.get(), "16 requests, one bind");
        assertTrue(authenticator.remembered(login("dora", "other")).isEmpty(), "another password is not remembered");
    }

    @Test
    void aNameInTheHtpasswdFileIsDecidedThereAndNeverAskedOfTheDirectory() {
        assertEquals(LoginVerdict.REJECTED, authenticator.check(login("alice", "directory-pw")));
        assertEquals(LoginVerdict.accepted(Set.of()), authenticator.check(login("alice", "file-pw")));
        assertEquals(Optional.of(Set.of()), authenticator.remembered(login("alice", "file-pw")));
        assertEquals(0, asked.get());
    }

    @Test
    void refusalsAndOutagesAreNotRemembered() {
        answer.set(LoginVerdict.UNAVAILABLE);
        assertEquals(LoginVerdict.UNAVAILABLE, authenticator.check(login("dora", "pw")));
        answer.set(LoginVerdict.REJECTED);
        assertEquals(LoginVerdict.REJECTED, authenticator.check(login("dora", "pw")));
        assertFalse(authenticator.isRemembered(login("dora", "pw")));
        answer.set(LoginVerdict.accepted(Set.of("readers")));
        assertEquals(LoginVerdict.accepted(Set.of("readers")), authenticator.check(login("dora", "pw")));
        assertEquals(3, asked.get());
    }

    @Test
    void withoutADirectoryAnUnknownNameIsSimplyRejected() {
        Authenticator fileOnly = new Authenticator(Htpasswd.parse("t", List.of("alice:" + BcryptHash.hash(bytes("p"), 4))),
                new CredentialCache(100, Duration.ofMinutes(5)));
        assertEquals(LoginVerdict.REJECTED, fileOnly.check(login("dora", "pw")));
        assertFalse(fileOnly.hasDirectory());
    }
}
