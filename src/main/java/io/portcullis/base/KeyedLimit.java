package io.portcullis.base;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts things held at once (open connections, pending password checks), in total and per key (a client address,
 * {@link ClientAddress#key}), and refuses one more past either bound. Every admitted hold must be released exactly
 * once. Keys leave the map with their last hold, so it never has more entries than there are holds.
 */
public final class KeyedLimit {
    public enum Verdict { ADMITTED, OVER_TOTAL, OVER_KEY }

    private final int perKey;
    private final int total;
    private final AtomicInteger held = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final AtomicLong refusedOverTotal = new AtomicLong();
    private final AtomicLong refusedOverKey = new AtomicLong();

    public KeyedLimit(int perKey, int total) {
        this.perKey = perKey;
        this.total = total;
    }

    public Verdict acquire(String key) {
        if (held.incrementAndGet() > total) {
            held.decrementAndGet();
            refusedOverTotal.incrementAndGet();
            return Verdict.OVER_TOTAL;
        }
        boolean[] admitted = {false};
        byKey.compute(key, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < perKey) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            held.decrementAndGet();
            refusedOverKey.incrementAndGet();
            return Verdict.OVER_KEY;
        }
        return Verdict.ADMITTED;
    }

    public void release(String key) {
        held.decrementAndGet();
        byKey.computeIfPresent(key, (k, c) -> c.decrementAndGet() == 0 ? null : c);
    }

    public int held() {
        return held.get();
    }

    public long refused(Verdict why) {
        return why == Verdict.OVER_TOTAL ? refusedOverTotal.get() : refusedOverKey.get();
    }
}
