package io.portcullis.sso;

import io.portcullis.shared.RedisStore;
import io.portcullis.shared.SharedKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where single sign-on keeps its state, chosen in one place: in this process for one gate; in the shared Redis
 * when {@code redis} is set, so behind a load balancer a sign-in may start on one gate and finish on another, and a
 * session (and its sign-out) counts on every gate.
 *
 * @param sessions  the sessions
 * @param pending   the sign-ins started and not yet finished
 * @param cookieKey the HMAC key of the cookies
 */
record SsoStores(SessionStore sessions, PendingSignIns pending, Supplier<byte[]> cookieKey) {
    /** Named like the catalog's key ("catalog"), under {@link RedisStore#PREFIX}{@code key:}. */
    static final String COOKIE_KEY = "sso-cookie";

    static SsoStores open(Optional<RedisStore> redis, Clock clock, Duration sessionTtl) {
        // without Redis SharedKey is simply a random key of this gate's own
        SharedKey key = SharedKey.named(COOKIE_KEY, redis);
        if (redis.isPresent()) {
            return new SsoStores(new RedisSessionStore(redis.get(), clock, sessionTtl), new RedisPendingSignIns(redis.get()), key);
        }
        return new SsoStores(new MemorySessionStore(clock), new MemoryPendingSignIns(), key);
    }
}
