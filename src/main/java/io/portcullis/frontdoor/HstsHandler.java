package io.portcullis.frontdoor;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;

/**
 * Adds {@code Strict-Transport-Security} to every response (the gate's own and proxied ones), so browsers that
 * reached a registry UI through the gate never try plain HTTP for it again. Off unless {@code --hsts-max-age} is set:
 * once sent it binds browsers for max-age, so it should be a deliberate choice.
 */
public final class HstsHandler implements HttpHandler {
    private final String value;
    private final HttpHandler next;

    public HstsHandler(Duration maxAge, HttpHandler next) {
        this.value = "max-age=" + maxAge.toSeconds();
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(ex -> ex.getResponseHeaders().put(Headers.STRICT_TRANSPORT_SECURITY, value));
        next.handleRequest(exchange);
    }
}
