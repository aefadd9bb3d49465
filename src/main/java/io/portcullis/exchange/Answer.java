package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one way the gate answers a request itself (JSON errors, health, metrics, redirects, the web catalog's pages): status, content type
 * and length set together, the body sent without blocking. The registry API version header is added to every
 * response by {@code frontdoor.ApiVersionHeaderHandler} around the whole chain, so no answer can miss it.
 */
public final class Answer {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    private Answer() {
    }

    public static void json(HttpServerExchange exchange, int status, String json) {
        send(exchange, status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static void text(HttpServerExchange exchange, int status, String text) {
        send(exchange, status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
