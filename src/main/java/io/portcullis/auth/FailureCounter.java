package io.portcullis.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * Counts failures per key in a fixed window that starts at the key's first failure. Once {@code limit}
 * failures fall in the window the key is blocked until the window ends. At most {@code maxTracked} keys are
 * kept (Caffeine evicts the least useful first), so a flood of distinct keys cannot exhaust memory.
 */
final class FailureCounter<K> {
    private final int limit;
    private final long windowNanos;
    private final Ticker ticker;
    private final Cache<K, Strikes> strikes;

    /** @param limit failures that block a key; 0 turns counting off */
    FailureCounter(int limit, Duration window, long maxTracked, Ticker ticker) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.ticker = ticker;
        this.strikes = Caffeine.newBuilder()
                .maximumSize(limit > 0 ? maxTracked : 0)
                .expireAfter(new UntilWindowEnds())
                .ticker(ticker)
                // maintenance on the calling thread: no pool threads of its own, work is a few map operations
                .executor(Runnable::run)
                .build();
    }

    /** How long the key must wait, or empty when it may try. */
    Optional<Duration> blockedFor(K key) {
        if (limit <= 0) {
            return Optional.empty();
        }
        Strikes s = strikes.getIfPresent(key);
        if (s == null || s.count < limit) {
            return Optional.empty();
        }
        long left = s.firstNanos + windowNanos - ticker.read();
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    /** @return true when this failure is the one that blocks the key (for a single log line per block) */
    boolean fail(K key) {
        if (limit <= 0) {
            return false;
        }
        long now = ticker.read();
        Strikes s = strikes.asMap().compute(key, (k, old) ->
                old == null || now - old.firstNanos >= windowNanos ? new Strikes(now, 1) : new Strikes(old.firstNanos, old.count + 1));
        return s.count == limit;
    }

    void reset(K key) {
        if (limit > 0) {
            strikes.invalidate(key);
        }
    }

    long tracked() {
        strikes.cleanUp();
        return strikes.estimatedSize();
    }

    private record Strikes(long firstNanos, int count) {
    }

    /** An entry lives exactly until its window ends, however often it is updated. */
    private final class UntilWindowEnds implements Expiry<K, Strikes> {
        @Override
        public long expireAfterCreate(K key, Strikes value, long currentTime) {
            return Math.max(0, value.firstNanos + windowNanos - currentTime);
        }

        @Override
        public long expireAfterUpdate(K key, Strikes value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(K key, Strikes value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
