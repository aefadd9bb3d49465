package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static Credentials creds(String user, String password) {
        return new Credentials(user, password.getBytes(StandardCharsets.UTF_8));
    }

    private static Htpasswd users(String... lines) {
        return Htpasswd.parse("test", List.of(lines));
    }

    @Test
    void onlyASuccessfulCheckIsRemembered() {
        CredentialCache cache = new CredentialCache(100, Duration.ofMinutes(5));
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB), cache);

        assertFalse(auth.isRemembered(creds("bob", "secret")), "nothing is remembered before bcrypt ran");
        assertFalse(auth.verify(creds("bob", "wrong")));
        assertFalse(auth.isRemembered(creds("bob", "wrong")), "failures are never cached");
        assertEquals(0, cache.size());

        assertTrue(auth.verify(creds("bob", "secret")));
        assertTrue(auth.isRemembered(creds("bob", "secret")));
        assertFalse(auth.isRemembered(creds("bob", "secret2")), "another password is not a hit");
    }

    @Test
    void failuresWaitForTheFloorWhileItIsStillBeingMeasuredAtStart() throws Exception {
        // the measuring is held, as if the start-up thread were still running bcrypt
        List<Runnable> held = new ArrayList<>();
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB), new CredentialCache(100, Duration.ofMinutes(5)),
                BcryptHash::verify, held::add);
        assertFalse(auth.isCalibrated());

        CompletableFuture<Duration> floor = CompletableFuture.supplyAsync(auth::failureFloor);
        CompletableFuture<Boolean> unknownUser = CompletableFuture.supplyAsync(() -> auth.verify(creds("mallory", "x")));
        assertTrue(auth.verify(creds("bob", "secret")), "a known user's check needs neither floor nor dummy");
        assertFalse(floor.isDone(), "no failure learns its floor before it was measured");
        assertFalse(unknownUser.isDone(), "an unknown user waits for the dummy hash");

        held.forEach(Runnable::run);
        assertTrue(auth.isCalibrated());
        assertTrue(floor.get(20, TimeUnit.SECONDS).compareTo(Duration.ZERO) > 0, "the measured floor: " + floor.get());
        assertFalse(unknownUser.get(20, TimeUnit.SECONDS));
    }

    @Test
    void unknownUsersAreRefusedAfterTheSameBcryptWork() {
        List<String> checked = new ArrayList<>();
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB), new CredentialCache(100, Duration.ofMinutes(5)),
                (password, hash) -> {
                    checked.add(hash);
                    return BcryptHash.verify(password, hash);
                });

        assertFalse(auth.verify(creds("mallory", "secret")));
        assertFalse(auth.isRemembered(creds("mallory", "secret")));
        // the refusal cost one bcrypt check at the cost of the file's users, as a wrong password of bob's does
        assertEquals(1, checked.size(), "an unknown user costs one bcrypt check");
        assertEquals(BcryptHash.cost(HtpasswdTest.BOB_HASH), BcryptHash.cost(checked.get(0)));
        assertFalse(checked.get(0).equals(HtpasswdTest.BOB_HASH), "against a dummy hash, not a real user's");
    }

    @Test
    void weakFormatUsersAreVerifiedInTheirOwnSchemeAndRemembered() {
        CredentialCache cache = new CredentialCache(100, Duration.ofMinutes(5));
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB, "alice:$apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1",
                "zed:{SHA}L55TUjtiq8FBorTWAZ0jy6g129A="), cache);

        assertFalse(auth.verify(creds("alice", "wrong")));
        assertTrue(auth.verify(creds("alice", "correct horse")));
        assertTrue(auth.isRemembered(creds("alice", "correct horse")));
        assertTrue(auth.verify(creds("zed", "correct horse")));
        assertFalse(auth.verify(creds("zed", "correct horsE")));
    }

    @Test
    void aChangedHashNoLongerMatchesTheCachedEntry() {
        CredentialCache cache = new CredentialCache(100, Duration.ofMinutes(5));
        Authenticator before = new Authenticator(users(HtpasswdTest.BOB), cache);
        assertTrue(before.verify(creds("bob", "secret")));

        String rehashed = "bob:" + BcryptHash.hash("secret".getBytes(StandardCharsets.UTF_8), 4);
        Authenticator after = new Authenticator(users(rehashed), cache);
        assertFalse(after.isRemembered(creds("bob", "secret")), "a new entry must be verified again");

        Authenticator removed = new Authenticator(users("carol:" + HtpasswdTest.BOB_HASH), cache);
        assertFalse(removed.isRemembered(creds("bob", "secret")), "a removed user is not kept alive by the cache");
    }

    @Test
    void theCacheIsBoundedAndCanBeTurnedOff() {
        CredentialCache small = new CredentialCache(2, Duration.ofMinutes(5));
        for (int i = 0; i < 50; i++) {
            small.remember(creds("u" + i, "p"), HtpasswdTest.BOB_HASH);
        }
        assertTrue(small.size() <= 2, "size " + small.size());

        CredentialCache off = new CredentialCache(0, Duration.ofMinutes(5));
        off.remember(creds("bob", "secret"), HtpasswdTest.BOB_HASH);
        assertFalse(off.contains(creds("bob", "secret"), HtpasswdTest.BOB_HASH));
    }

    @Test
    void entriesExpire() {
        CredentialCache quick = new CredentialCache(10, Duration.ofMillis(1));
        quick.remember(creds("bob", "secret"), HtpasswdTest.BOB_HASH);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (quick.contains(creds("bob", "secret"), HtpasswdTest.BOB_HASH) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(quick.contains(creds("bob", "secret"), HtpasswdTest.BOB_HASH));
    }

    private static String entry(String user, String password) {
        return user + ":" + BcryptHash.hash(password.getBytes(StandardCharsets.UTF_8), 4);
    }

    @Test
    void afterReplacingUsersARemovedUserIsRefusedOnTheNextRequestEvenWhenCached() {
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB, entry("carol", "carol-pw")),
                new CredentialCache(100, Duration.ofMinutes(5)));
        assertTrue(auth.verify(creds("bob", "secret")));
        assertTrue(auth.isRemembered(creds("bob", "secret")), "bob's next request would be a cache hit");

        Htpasswd previous = auth.replaceUsers(users(entry("carol", "carol-pw")));

        assertEquals(2, previous.size(), "the users in service until now are handed back");
        assertEquals(1, auth.userCount());
        assertFalse(auth.isRemembered(creds("bob", "secret")), "the cache must not keep a removed user alive");
        assertFalse(auth.verify(creds("bob", "secret")));
        assertTrue(auth.verify(creds("carol", "carol-pw")), "users that stay keep working");
    }

    @Test
    void afterReplacingUsersAChangedPasswordRequiresTheNewOne() {
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB), new CredentialCache(100, Duration.ofMinutes(5)));
        assertTrue(auth.verify(creds("bob", "secret")));

        auth.replaceUsers(users(entry("bob", "new secret")));

        assertFalse(auth.isRemembered(creds("bob", "secret")), "the old password is no longer a cache hit");
        assertFalse(auth.verify(creds("bob", "secret")), "the old password is refused");
        assertTrue(auth.verify(creds("bob", "new secret")));
        assertTrue(auth.isRemembered(creds("bob", "new secret")));
    }

    @Test
    void afterReplacingUsersAnAddedUserIsAccepted() {
        Authenticator auth = new Authenticator(users(HtpasswdTest.BOB), new CredentialCache(100, Duration.ofMinutes(5)));
        assertFalse(auth.verify(creds("dave", "dave-pw")));

        auth.replaceUsers(users(HtpasswdTest.BOB, entry("dave", "dave-pw")));

        assertTrue(auth.verify(creds("dave", "dave-pw")));
        assertTrue(auth.verify(creds("bob", "secret")));
        assertEquals(2, auth.userCount());
    }
}
