package io.portcullis.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers credentials that bcrypt has already accepted, so a push of hundreds of requests pays for one hash.
 * Entries are keyed by an HMAC (per-process random key) of user, password and the stored hash: the password is
 * never kept, a dump of the cache cannot be brute-forced offline without the key, and a changed or removed
 * htpasswd entry no longer matches any key. Only successes are stored; size and age are bounded. A directory login
 * is remembered the same way, with the groups the directory gave (keyed by {@link Authenticator#DIRECTORY}, as the
 * directory's hash is not ours to see): a password changed or a user removed there counts after at most the TTL.
 */
public final class CredentialCache {
    private static final String HMAC = "HmacSHA256";

    /** The value is the user's groups from the source that verified it (a directory's; none from htpasswd). */
    private final Cache<ByteBuffer, Set<String>> verified;
    private final ThreadLocal<Mac> macs;
    private final boolean enabled;

    public CredentialCache(long maxEntries, Duration ttl) {
        this.enabled = maxEntries > 0;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                // maintenance on the calling thread: no pool threads of its own, work is a few map operations
                .executor(Runnable::run)
                .build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretKeySpec spec = new SecretKeySpec(key, HMAC);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
        });
    }

    public boolean contains(Credentials credentials, String storedHash) {
        return groupsOf(credentials, storedHash).isPresent();
    }

    /** The groups remembered with these credentials, or empty when they were not verified recently. */
    public Optional<Set<String>> groupsOf(Credentials credentials, String storedHash) {
        return enabled ? Optional.ofNullable(verified.getIfPresent(key(credentials, storedHash))) : Optional.empty();
    }

    public void remember(Credentials credentials, String storedHash) {
        remember(credentials, storedHash, Set.of());
    }

    public void remember(Credentials credentials, String storedHash, Set<String> groups) {
        if (enabled) {
            verified.put(key(credentials, storedHash), Set.copyOf(groups));
        }
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private ByteBuffer key(Credentials credentials, String storedHash) {
        Mac mac = macs.get();
        // length-prefixed fields, so ("ab","c") and ("a","bc") can never collide
        update(mac, credentials.user().getBytes(StandardCharsets.UTF_8));
        update(mac, credentials.password());
        update(mac, storedHash.getBytes(StandardCharsets.US_ASCII));
        return ByteBuffer.wrap(mac.doFinal());
    }

    private static void update(Mac mac, byte[] field) {
        int n = field.length;
        mac.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        mac.update(field);
    }
}
