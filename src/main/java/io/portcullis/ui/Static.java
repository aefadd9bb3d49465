package io.portcullis.ui;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;

/** The stylesheet, and the headers every catalog page carries (no scripts, no framing, no caching). */
final class Static {
    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER = new HttpString("Referrer-Policy");

    private Static() {
    }

    static void securityHeaders(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(CSP,
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
        exchange.getResponseHeaders().put(REFERRER, "same-origin");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    }

    static void send(HttpServerExchange exchange, String resource, String contentType) throws IOException {
        try (InputStream in = Static.class.getResourceAsStream(resource)) {
            if (in == null) {
                Answer.text(exchange, 404, "not found\n");
                return;
            }
            byte[] bytes = in.readAllBytes();
            exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=300");
            Answer.send(exchange, 200, contentType, bytes);
        }
    }
}
