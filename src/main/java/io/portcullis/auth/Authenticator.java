package io.portcullis.auth;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * Decides whether credentials are valid against the current htpasswd users, in two steps so the caller can
 * keep bcrypt off IO threads: {@link #isRemembered} is cheap (an HMAC and a map lookup); {@link #verify}
 * runs the hash (bcrypt) and must be called on a worker thread.
 */
public final class Authenticator {
    private final UserTable users;
    private final CredentialCache cache;

    public Authenticator(Htpasswd htpasswd, CredentialCache cache) {
        this.users = UserTable.of(htpasswd);
        this.cache = cache;
    }

    public int userCount() {
        return users.htpasswd().size();
    }

    /** True when these exact credentials were verified recently against the user's current hash. */
    public boolean isRemembered(Credentials credentials) {
        Optional<String> hash = users.htpasswd().hashOf(credentials.user());
        return hash.isPresent() && cache.contains(credentials, hash.get());
    }

    /**
     * Full check in the user's scheme. Unknown users are checked against a bcrypt dummy hash of the file's usual
     * bcrypt cost, so they take as long as a wrong password of a bcrypt user and timing does not reveal who exists.
     * Users on a faster, weak scheme answer faster than that dummy: one more reason to re-create them.
     */
    public boolean verify(Credentials credentials) {
        Optional<PasswordHash> hash = users.htpasswd().entryOf(credentials.user());
        if (hash.isEmpty()) {
            BcryptHash.verify(credentials.password(), users.dummyHash());
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
