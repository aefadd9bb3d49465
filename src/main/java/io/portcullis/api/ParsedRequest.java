package io.portcullis.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.List;

/**
 * What one request asks of the registry, parsed once from the raw request target: a {@link RegistryOperation}, or a
 * {@link RefusedRequest} saying why it cannot be represented canonically. Attached to the exchange, so the 401
 * detail, the access decision and the forwarded target all read the same parse (and so can an audit trail).
 */
public sealed interface ParsedRequest permits RegistryOperation, RefusedRequest, RouterAnswer {
    AttachmentKey<ParsedRequest> KEY = AttachmentKey.create(ParsedRequest.class);

    /** The accesses the registry would check for this request; none for a refused one. */
    List<Access> accesses();

    /**
     * The exchange's parse. {@code ParseHandler} makes it before any step of the chain reads it; a handler used on its own (in a
     * test) gets it made here, still once per exchange.
     */
    static ParsedRequest of(HttpServerExchange exchange) {
        ParsedRequest parsed = exchange.getAttachment(KEY);
        if (parsed == null) {
            HeaderValues contentTypes = exchange.getRequestHeaders().get(Headers.CONTENT_TYPE);
            parsed = RequestParser.parse(exchange.getRequestMethod().toString(), exchange.getRequestURI(),
                    exchange.getQueryString(), contentTypes == null ? List.of() : contentTypes);
            exchange.putAttachment(KEY, parsed);
        }
        return parsed;
    }
}
