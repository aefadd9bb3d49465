package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How the gate sends a body of its own (JSON errors, health, metrics, the filtered {@code _catalog}, the web UI's
 * and the sign-in pages): status, content type and length set together, the body sent without blocking. Answers
 * without a body (a CORS preflight's 204, a redirect's 302, a stalled upload's 504) only set the status and end
 * the exchange. The registry API version header is added to every response by
 * {@code frontdoor.ApiVersionHeaderHandler} around the whole chain, so no answer can miss it.
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
