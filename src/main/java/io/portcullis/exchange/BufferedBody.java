package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * The request body was read into memory by the gate (a manifest checked against the immutable-tag rules) and is
 * handed to the proxy from there: nothing more comes from the client, so nothing may wrap the client's channel.
 */
public final class BufferedBody {
    private static final AttachmentKey<Boolean> KEY = AttachmentKey.create(Boolean.class);

    private BufferedBody() {
    }

    public static void mark(HttpServerExchange exchange) {
        exchange.putAttachment(KEY, Boolean.TRUE);
    }

    public static boolean is(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY) != null;
    }
}
