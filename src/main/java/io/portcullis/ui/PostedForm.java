package io.portcullis.ui;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.nio.charset.StandardCharsets;

/**
 * A form posted to the catalog (delete, tokens), read without a thread: a client trickling its form (or never
 * sending it) holds an idle connection, which the connection limits and timeouts bound, never one of the few workers.
 */
final class PostedForm {
    static final int MAX_BYTES = 8 * 1024;
    private static final AttachmentKey<String> FORM = AttachmentKey.create(String.class);

    private PostedForm() {
    }

    /** Whether the form was read already (the handler runs again, on a worker, once it is). */
    static boolean isRead(HttpServerExchange exchange) {
        return exchange.getAttachment(FORM) != null;
    }

    /**
     * Reads the body on the IO thread, then runs {@code then} on a worker. Over {@link #MAX_BYTES} or cut off: an
     * empty form (nothing done), and the connection closed.
     */
    static void read(HttpServerExchange exchange, HttpHandler then) {
        exchange.getRequestReceiver().setMaxBufferSize(MAX_BYTES);
        exchange.getRequestReceiver().receiveFullString((ex, form) -> {
            ex.putAttachment(FORM, form);
            ex.dispatch(then);
        }, (ex, e) -> {
            ex.setPersistent(false);
            ex.putAttachment(FORM, "");
            ex.dispatch(then);
        }, StandardCharsets.UTF_8);
    }

    /** The form's text; empty when none was posted. */
    static String of(HttpServerExchange exchange) {
        String form = exchange.getAttachment(FORM);
        return form == null ? "" : form;
    }
}
