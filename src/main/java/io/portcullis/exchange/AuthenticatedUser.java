package io.portcullis.exchange;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;
import java.util.Set;

/** The user name basic auth accepted for an exchange, for the handlers and the access log after it. */
public final class AuthenticatedUser {
    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);
    @SuppressWarnings("rawtypes")
    private static final AttachmentKey<Set> GROUPS = AttachmentKey.create(Set.class);

    private AuthenticatedUser() {
    }

    /** Basic auth accepted {@code user} for this exchange. */
    public static void set(HttpServerExchange exchange, String user) {
        exchange.putAttachment(KEY, user);
    }

    /** Basic auth accepted {@code user}, whose source (the directory) says it is in {@code groups}. */
    public static void set(HttpServerExchange exchange, String user, Set<String> groups) {
        exchange.putAttachment(KEY, user);
        exchange.putAttachment(GROUPS, Set.copyOf(groups));
    }

    /** The accepted user's groups from its login source; none for an htpasswd user (its groups are in the rules). */
    @SuppressWarnings("unchecked")
    public static Set<String> groups(HttpServerExchange exchange) {
        Set<String> groups = exchange.getAttachment(GROUPS);
        return groups == null ? Set.of() : groups;
    }

    public static Optional<String> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
