package io.portcullis.token;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/**
 * The token an exchange was authenticated with, beside its owner's name ({@code exchange.AuthenticatedUser}):
 * access applies its scopes, the audit trail names its id and label. Absent for a password login.
 */
public final class AuthenticatedToken {
    private static final AttachmentKey<Token> KEY = AttachmentKey.create(Token.class);

    private AuthenticatedToken() {
    }

    public static void set(HttpServerExchange exchange, Token token) {
        exchange.putAttachment(KEY, token);
    }

    public static Optional<Token> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
