package io.portcullis.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Drops the request headers that belong to the connection between client and gate ({@link HopByHop}: those named in
 * {@code Connection}, {@code Connection} itself, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Upgrade},
 * {@code Proxy-Connection} and every {@code Proxy-*} header such as {@code Proxy-Authorization}). Runs before the
 * gate sets its own forwarding headers, so a client cannot name those away either.
 */
public final class HopByHopHeadersHandler implements HttpHandler {
    private final HttpHandler next;

    public HopByHopHeadersHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HopByHop.remove(exchange.getRequestHeaders());
        next.handleRequest(exchange);
    }
}
