package io.portcullis.frontdoor;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The gate's answer to a request it will not handle: the registry's JSON error envelope with code
 * {@code UNSUPPORTED} (what distribution uses for operations it does not do), so clients print the reason, and the
 * connection closed afterwards without reading the request body.
 */
final class Refusal {
    private Refusal() {
    }

    static void send(HttpServerExchange exchange, int status, String message) {
        // the body of a refused request is never read: draining it could take gigabytes, and its framing may be the
        // very thing that is wrong
        exchange.setPersistent(false);
        byte[] body = ("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"" + jsonText(message) + "\",\"detail\":null}]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Messages are the gate's own text plus a method name; escape anyway so no request byte can break the JSON. */
    private static String jsonText(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
