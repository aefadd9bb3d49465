package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/**
 * Tells whether the status of an exchange came from the registry or from the gate. The access log reports the
 * registry's status separately (a 503 the gate made because the registry is down reads very differently from a
 * 503 the registry sent), and metrics count the gate's own upstream failures. Marked on the exchange, because
 * by the time it completes the status alone cannot say who chose it.
 */
public final class WhoAnswered {
    private static final AttachmentKey<Boolean> FORWARDED = AttachmentKey.create(Boolean.class);
    private static final AttachmentKey<Boolean> ANSWERED_BY_GATE = AttachmentKey.create(Boolean.class);

    private WhoAnswered() {
    }

    /** The exchange reached the proxy handler: from now on its response is the registry's unless the proxy fails. */
    public static void markForwarded(HttpServerExchange exchange) {
        exchange.putAttachment(FORWARDED, Boolean.TRUE);
    }

    /** The gate wrote the response itself after the fact (the proxy could not get one from the registry). */
    public static void markAnsweredByGate(HttpServerExchange exchange) {
        exchange.putAttachment(ANSWERED_BY_GATE, Boolean.TRUE);
    }

    /** The status the registry answered with; empty when the gate answered itself (401, health, proxy failure). */
    public static Optional<Integer> upstreamStatus(HttpServerExchange exchange) {
        return forwarded(exchange) && !answeredByGate(exchange) ? Optional.of(exchange.getStatusCode()) : Optional.empty();
    }

    /** True when the request was forwarded but the gate had to answer 5xx itself (registry down, timeout). */
    public static boolean upstreamFailed(HttpServerExchange exchange) {
        return forwarded(exchange) && answeredByGate(exchange) && exchange.getStatusCode() >= 500;
    }

    private static boolean forwarded(HttpServerExchange exchange) {
        return exchange.getAttachment(FORWARDED) != null;
    }

    private static boolean answeredByGate(HttpServerExchange exchange) {
        return exchange.getAttachment(ANSWERED_BY_GATE) != null;
    }
}
