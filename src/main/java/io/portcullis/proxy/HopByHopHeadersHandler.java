package io.portcullis.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Drops the request headers that belong to the connection between client and gate (RFC 9110 7.6.1): those named
 * in {@code Connection}, {@code Connection} itself, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 * {@code Upgrade}, {@code Proxy-Connection} and every {@code Proxy-*} header such as {@code Proxy-Authorization}.
 * Framing ({@code Content-Length}, {@code Transfer-Encoding}) and {@code Host} are the proxy's to rewrite and stay,
 * whatever {@code Connection} names. Runs before the gate sets its own forwarding headers, so a client cannot name
 * those away either.
 */
public final class HopByHopHeadersHandler implements HttpHandler {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "trailer", "upgrade",
            "proxy-connection");
    private static final Set<String> KEPT = Set.of("host", "content-length", "transfer-encoding");

    private final HttpHandler next;

    public HopByHopHeadersHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            for (String value : connection) {
                for (String token : value.split(",")) {
                    String name = token.strip().toLowerCase(Locale.ROOT);
                    if (!name.isEmpty() && !KEPT.contains(name)) {
                        headers.remove(new HttpString(name));
                    }
                }
            }
        }
        List<HttpString> doomed = new ArrayList<>(2);
        for (HeaderValues values : headers) {
            String lower = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith("proxy-")) {
                doomed.add(values.getHeaderName());
            }
        }
        doomed.forEach(headers::remove);
        next.handleRequest(exchange);
    }
}
