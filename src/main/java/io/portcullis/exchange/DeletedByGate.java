package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/**
 * The gate itself deleted a manifest in the registry while answering this exchange (the web catalog's delete
 * button), for the exchange's user. The audit trail records it as the same {@code delete} event a delete through
 * the API gives.
 */
public record DeletedByGate(String repository, String digest) {
    private static final AttachmentKey<DeletedByGate> KEY = AttachmentKey.create(DeletedByGate.class);

    public static void mark(HttpServerExchange exchange, String repository, String digest) {
        exchange.putAttachment(KEY, new DeletedByGate(repository, digest));
    }

    public static Optional<DeletedByGate> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
