package io.portcullis.auth;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether credentials are valid against the current htpasswd users, in two steps so the caller can
 * keep bcrypt off IO threads: {@link #isRemembered} is cheap (an HMAC and a map lookup); {@link #verify}
 * runs the hash (bcrypt or another htpasswd format) and must be called on a worker thread.
 *
 * <p>The users can be replaced while requests run ({@link #replaceUsers}). No cache flush is needed: cache keys
 * include the stored hash, so a removed or changed entry simply stops matching.
 */
public final class Authenticator {
    // One reference for users and dummy hash, so a request never sees the users of one file and the dummy of another.
    private final AtomicReference<UserTable> users;
    private final CredentialCache cache;

    public Authenticator(Htpasswd htpasswd, CredentialCache cache) {
        this.users = new AtomicReference<>(UserTable.of(htpasswd));
        this.cache = cache;
    }

    public int userCount() {
        return users.get().htpasswd().size();
    }

    /**
     * Makes the next requests check against {@code htpasswd}; requests already past the lookup finish with the
     * users they saw. Runs bcrypt once (the new dummy hash): call it off IO threads.
     *
     * @return the users that were in service until now
     */
    public Htpasswd replaceUsers(Htpasswd htpasswd) {
        return users.getAndSet(UserTable.of(htpasswd)).htpasswd();
    }

    /** True when these exact credentials were verified recently against the user's current hash. */
    public boolean isRemembered(Credentials credentials) {
        Optional<String> hash = users.get().htpasswd().hashOf(credentials.user());
        return hash.isPresent() && cache.contains(credentials, hash.get());
    }

    /**
     * Full check in the user's scheme. Unknown users are checked against a bcrypt dummy hash of the file's usual
     * bcrypt cost, so they take as long as a wrong password of a bcrypt user and timing does not reveal who exists.
     * Users on a faster, weak scheme answer faster than that dummy: one more reason to re-create them.
     */
    public boolean verify(Credentials credentials) {
        UserTable table = users.get();
        Optional<PasswordHash> hash = table.htpasswd().entryOf(credentials.user());
        if (hash.isEmpty()) {
            BcryptHash.verify(credentials.password(), table.dummyHash());
            return false;
        }
        boolean ok = hash.get().verify(credentials.password());
        if (ok) {
            cache.remember(credentials, hash.get().encoded());
        }
        return ok;
    }

    /** The users plus a dummy hash made at their usual cost, built together so they always agree. */
    private record UserTable(Htpasswd htpasswd, String dummyHash) {
        static UserTable of(Htpasswd htpasswd) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new UserTable(htpasswd, BcryptHash.hash(random, htpasswd.typicalCost()));
        }
    }
}
