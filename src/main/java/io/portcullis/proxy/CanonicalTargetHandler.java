package io.portcullis.proxy;

import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryOperation;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Makes the request target the proxy sends the one the access decision was made on: the operation's decoded,
 * canonical path (so {@code %3A} and {@code :} reach the registry alike) and the raw query, which the parser checked
 * says nothing but the operation's parameters ({@code _state} tokens stay byte for byte). A request that did not
 * parse never gets here; should one, it is not forwarded.
 */
public final class CanonicalTargetHandler implements HttpHandler {
    private final HttpHandler next;

    public CanonicalTargetHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!(ParsedRequest.of(exchange) instanceof RegistryOperation operation)) {
            throw new IllegalStateException("a request that did not parse reached the proxy");
        }
        // ProxyHandler sends getRequestURI() plus getQueryString(); both are now the operation's
        exchange.setRequestURI(operation.path());
        exchange.setQueryString(operation.query());
        next.handleRequest(exchange);
    }
}
