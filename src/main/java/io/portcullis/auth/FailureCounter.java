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

    /**
     * Counts an attempt that is about to be checked, unless the key is blocked: the count is taken before the
     * check, atomically, so parallel attempts cannot all slip through before the first failure is recorded.
     *
     * @return how long the key must wait (nothing counted), or empty when counted and the attempt may go ahead
     */
    Optional<Duration> tryCount(K key) {
        if (limit <= 0) {
            return Optional.empty();
        }
        long now = ticker.read();
        Strikes[] blocked = {null};
        strikes.asMap().compute(key, (k, old) -> {
            if (old == null || now - old.firstNanos >= windowNanos) {
                return new Strikes(now, 1);
            }
            if (old.count >= limit) {
                blocked[0] = old;
                return old;
            }
            return new Strikes(old.firstNanos, old.count + 1);
        });
        return blocked[0] == null ? Optional.empty() : Optional.of(Duration.ofNanos(blocked[0].firstNanos + windowNanos - now));
    }

    /** Takes back one attempt counted by {@link #tryCount} or {@link #fail} (it turned out to succeed). */
    void uncount(K key) {
        if (limit > 0) {
            strikes.asMap().computeIfPresent(key, (k, old) -> old.count <= 1 ? null : new Strikes(old.firstNanos, old.count - 1));
        }
    }

    /** Attempts counted for the key in its current window (0 when none, or when counting is off). */
    int count(K key) {
        Strikes s = limit <= 0 ? null : strikes.getIfPresent(key);
        return s == null || ticker.read() - s.firstNanos >= windowNanos ? 0 : s.count;
    }

    /** True when the key's count is exactly the limit: the attempt that blocked it (one log line per block). */
    boolean justReached(K key) {
        return limit > 0 && count(key) == limit;
    }

    /** True when the key reached the limit within its window. */
    boolean reached(K key) {
        return limit > 0 && count(key) >= limit;
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
