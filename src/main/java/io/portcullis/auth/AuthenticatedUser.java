package io.portcullis.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/** The user name basic auth accepted for an exchange, for the handlers and the access log after it. */
public final class AuthenticatedUser {
    static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);

    private AuthenticatedUser() {
    }

    public static Optional<String> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
