package io.portcullis.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares the request headers the registry sees. The registry builds upload {@code Location} URLs from
 * {@code Forwarded}, then {@code X-Forwarded-Proto}/{@code -Host}, then {@code Host}; so every client-supplied
 * forwarding header is dropped (a client must not steer those URLs) and the gate's own are set: the scheme is
 * https and the host keeps its port. {@code Authorization} is removed: the registry never sees passwords.
 * Undertow's proxy adds {@code X-Forwarded-For}, {@code -Port} and {@code -Server} itself.
 */
public final class ForwardedHeadersHandler implements HttpHandler {
    private static final HttpString FORWARDED = new HttpString("Forwarded");
    private static final HttpString X_REAL_IP = new HttpString("X-Real-IP");

    private final HttpHandler next;

    public ForwardedHeadersHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        headers.remove(Headers.AUTHORIZATION);
        headers.remove(FORWARDED);
        headers.remove(X_REAL_IP);
        removeXForwarded(headers);
        headers.put(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
        headers.put(Headers.X_FORWARDED_HOST, exchange.getHostAndPort());
        next.handleRequest(exchange);
    }

    private static void removeXForwarded(HeaderMap headers) {
        List<HttpString> doomed = null;
        for (HeaderValues values : headers) {
            if (HopByHop.startsWithIgnoreCase(values.getHeaderName(), "x-forwarded-")) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(values.getHeaderName());
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }
}
