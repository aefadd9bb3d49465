package io.portcullis.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * Sign-ins started and not yet finished, by their state: what the callback checks (nonce, PKCE verifier). Each is
 * taken once and lives ten minutes at most; their number is bounded, so a flood of started sign-ins cannot grow
 * memory (the oldest are dropped, and those browsers simply start again).
 */
final class PendingSignIns {
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final long MAX_PENDING = 10_000;

    private final Cache<String, OidcClient.Pending> pending = Caffeine.newBuilder()
            .maximumSize(MAX_PENDING)
            .expireAfterWrite(LIFETIME)
            .executor(Runnable::run)
            .build();

    void put(OidcClient.Pending sign) {
        pending.put(sign.state().getValue(), sign);
    }

    /** The sign-in with this state, removed: a callback URL works once. */
    Optional<OidcClient.Pending> take(String state) {
        return Optional.ofNullable(pending.asMap().remove(state));
    }
}
