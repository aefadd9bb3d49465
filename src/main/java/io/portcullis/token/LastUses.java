package io.portcullis.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Last uses waiting to be written, coalesced: a token in use by a busy pipeline is written at most once per
 * {@link TokenStore#USE_WRITE_INTERVAL}, whatever its request rate. A store with shared state (Redis) can use the
 * same bookkeeping. Thread-safe; {@link #record} is a map put, fit for an IO thread.
 */
public final class LastUses {
    private final ConcurrentMap<String, Token.LastUse> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Instant> written = new ConcurrentHashMap<>();

    public void record(String id, Token.LastUse use) {
        pending.put(id, use);
    }

    /** The uses to write now: of tokens not written within the interval, or all of them ({@code all}: at close). */
    public Map<String, Token.LastUse> due(Instant now, boolean all) {
        Map<String, Token.LastUse> due = new LinkedHashMap<>();
        pending.forEach((id, use) -> {
            Instant last = written.get(id);
            if (all || last == null || !now.isBefore(last.plus(TokenStore.USE_WRITE_INTERVAL))) {
                due.put(id, use);
            }
        });
        return due;
    }

    /** {@code due} was written at {@code now}; uses recorded meanwhile stay pending. */
    public void written(Map<String, Token.LastUse> due, Instant now) {
        due.forEach((id, use) -> {
            pending.remove(id, use);
            written.put(id, now);
        });
    }

    /** A token's newer use, applied to its record (an older one, written by another gate, is kept). */
    static Token apply(Token token, Token.LastUse use) {
        return token.lastUsed().isEmpty() || token.lastUsed().get().at().isBefore(use.at()) ? token.withLastUsed(use) : token;
    }
}
