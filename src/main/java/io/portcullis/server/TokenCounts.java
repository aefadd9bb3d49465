package io.portcullis.server;

import io.portcullis.token.Token;
import io.portcullis.token.TokenStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Tokens by status for {@code portcullis_tokens}: every status present, at 0 when there is none. */
final class TokenCounts {
    private TokenCounts() {
    }

    static Map<String, Long> byStatus(TokenStore store) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Token.Status s : Token.Status.values()) {
            counts.put(s.name().toLowerCase(Locale.ROOT), 0L);
        }
        Instant now = Instant.now();
        for (Token t : store.list()) {
            counts.merge(t.status(now).name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        return counts;
    }
}
