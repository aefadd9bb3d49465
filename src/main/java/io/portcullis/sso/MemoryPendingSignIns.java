package io.portcullis.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/**
 * Pending sign-ins in this process: their number is bounded, so a flood of started sign-ins cannot grow memory
 * (the oldest are dropped, and those browsers simply start again).
 */
final class MemoryPendingSignIns implements PendingSignIns {
    private static final long MAX_PENDING = 10_000;

    private final Cache<String, OidcClient.Pending> pending = Caffeine.newBuilder()
            .maximumSize(MAX_PENDING)
            .expireAfterWrite(LIFETIME)
            .executor(Runnable::run)
            .build();

    @Override
    public boolean put(OidcClient.Pending sign) {
        pending.put(sign.state().getValue(), sign);
        return true;
    }

    @Override
    public Optional<OidcClient.Pending> take(String state) {
        return Optional.ofNullable(pending.asMap().remove(state));
    }
}
