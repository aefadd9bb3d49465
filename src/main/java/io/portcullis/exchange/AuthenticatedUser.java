package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/** The user name basic auth accepted for an exchange, for the handlers and the access log after it. */
public final class AuthenticatedUser {
    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);

    private AuthenticatedUser() {
    }

    /** Basic auth accepted {@code user} for this exchange. */
    public static void set(HttpServerExchange exchange, String user) {
        exchange.putAttachment(KEY, user);
    }

    public static Optional<String> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
