package io.portcullis.api;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Parses the request target once, before authentication, and attaches the result ({@link ParsedRequest#KEY}).
 * It answers nothing itself: a request that does not parse is refused by the access handler, after basic auth,
 * so a client without credentials still sees the 401 challenge first.
 */
public final class ParseHandler implements HttpHandler {
    private final HttpHandler next;

    public ParseHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ParsedRequest.of(exchange);
        next.handleRequest(exchange);
    }
}
