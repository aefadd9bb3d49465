package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.directory.LoginVerdict;
import io.portcullis.state.StateDirectory;
import io.portcullis.testing.SettableClock;
import io.portcullis.token.FileTokenStore;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens of users from outside the htpasswd file live while their owner keeps signing in: the ledger of the last
 * directory or single sign-on login, its window, its file in the state directory, and the 401 that says what to do.
 */
class SignInWindowTest {
    private static final Duration WINDOW = Duration.ofDays(14);
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));

    private LoginLedger ledger() {
        return LoginLedger.open(StateDirectory.open(dir.resolve("state")), WINDOW, clock);
    }

    @Test
    void aLoginCountsForTheWindowAndSurvivesARestart() {
        LoginLedger ledger = ledger();
        ledger.record("dora", Set.of("developers"));
        clock.advance(WINDOW.minusMinutes(1));
        assertEquals(Optional.of(new LoginLedger.Entry(Instant.parse("2026-03-01T09:00:00Z"), Set.of("developers"))),
                ledger().current("dora"), "read back from the state directory by a new gate");
        clock.advance(Duration.ofMinutes(2));
        assertTrue(ledger.current("dora").isEmpty(), "past the window");
        assertTrue(ledger.last("dora").isPresent(), "still known, for the message");
    }

    @Test
    void repeatedLoginsWriteOncePerTenMinutesUnlessTheGroupsChange() throws Exception {
        LoginLedger ledger = ledger();
        Path file = dir.resolve("state").resolve(LoginLedger.FILE);
        ledger.record("dora", Set.of("developers"));
        String first = Files.readString(file);
        clock.advance(Duration.ofMinutes(5));
        ledger.record("dora", Set.of("developers"));
        assertEquals(first, Files.readString(file));
        ledger.record("dora", Set.of("developers", "ops"));
        assertTrue(Files.readString(file).contains("ops"), Files.readString(file));
    }

    @Test
    void aDirectoryLoginKeepsTheTokensOfItsOwnerAliveWithItsGroups() {
        LoginLedger ledger = ledger();
        Authenticator authenticator = new Authenticator(Htpasswd.parse("t", List.of("alice:" + BcryptHash.hash(bytes("pw"), 4))),
                new CredentialCache(100, Duration.ofMinutes(5)),
                Optional.of((user, password) -> LoginVerdict.accepted(Set.of("developers"))), Optional.of(ledger));
        assertFalse(authenticator.isTokenOwner("dora"), "never logged in: not an owner");
        authenticator.check(new Credentials("dora", bytes("dora-pw")));
        assertTrue(authenticator.isTokenOwner("dora"));
        assertEquals(Set.of("developers"), authenticator.tokenOwnerGroups("dora"));
        assertTrue(authenticator.isTokenOwner("alice"), "htpasswd users own tokens as before");
        assertEquals(Set.of(), authenticator.tokenOwnerGroups("alice"));
        clock.advance(WINDOW.plusSeconds(1));
        assertFalse(authenticator.isTokenOwner("dora"));
        assertEquals(Set.of(), authenticator.tokenOwnerGroups("dora"));
    }

    @Test
    void pastTheWindowTheTokenHolderIsToldToSignInAgain() {
        LoginLedger ledger = ledger();
        Authenticator authenticator = new Authenticator(Htpasswd.parse("t", List.of()), new CredentialCache(100, Duration.ofMinutes(5)),
                Optional.empty(), Optional.of(ledger));
        try (FileTokenStore store = FileTokenStore.open(StateDirectory.open(dir.resolve("state")), clock)) {
            ledger.record("dora", Set.of("developers"));
            IssuedToken issued = store.create(new TokenRequest("dora", "laptop", List.of(TokenScope.parse("pull,push:team/*")),
                    Optional.of(clock.instant().plus(Duration.ofDays(90)))));
            TokenLogin login = new TokenLogin(store, authenticator::isTokenOwner,
                    user -> ledger.last(user).map(last -> SignInAgain.message(user, last, ledger.window())), clock);
            assertTrue(login.check("dora", issued.secret()).token().isPresent());
            clock.advance(Duration.ofDays(15));
            TokenLogin.Outcome refused = login.check("dora", issued.secret());
            assertEquals(Optional.of(TokenLogin.Refusal.OWNER_GONE), refused.refusal());
            String message = refused.message().orElseThrow();
            assertTrue(message.contains("every 14d") && message.contains("2026-03-01T09:00:00Z") && message.contains("/ui/sign-in"), message);
            ledger.record("dora", Set.of("developers"));
            assertTrue(login.check("dora", issued.secret()).token().isPresent(), "a new sign-in brings the token back");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
