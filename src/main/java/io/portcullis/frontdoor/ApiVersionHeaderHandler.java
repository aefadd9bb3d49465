package io.portcullis.frontdoor;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * Puts {@code Docker-Distribution-Api-Version: registry/2.0} on every response exactly once. It is added when
 * the response commits and only if absent: the registry's own header on proxied responses is kept, the gate's
 * own responses (401, 503, ...) get one. Twice, or missing on a 401, makes old clients fall back to v1.
 */
public final class ApiVersionHeaderHandler implements HttpHandler {
    public static final HttpString HEADER = new HttpString("Docker-Distribution-Api-Version");
    public static final String VALUE = "registry/2.0";

    private final HttpHandler next;

    public ApiVersionHeaderHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(ex -> {
            if (!ex.getResponseHeaders().contains(HEADER)) {
                ex.getResponseHeaders().put(HEADER, VALUE);
            }
        });
        next.handleRequest(exchange);
    }
}
