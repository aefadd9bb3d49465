package io.portcullis.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * The registry's 401: {@code WWW-Authenticate: Basic realm="…"} and {@code UNAUTHORIZED} naming what the request
 * asked for, as registry:2's htpasswd auth answers it (docker, podman and skopeo send credentials only after it).
 * Written once for every handler that asks for a login: basic auth (no or wrong credentials), the access decision
 * (an anonymous request the rules refuse) and the token pages (an HTML page, same header).
 */
public final class LoginChallenge {
    private final String header;

    public LoginChallenge(String realm) {
        this.header = "Basic realm=\"" + realm + "\"";
    }

    /** The registry's 401 for this request; {@code message} replaces the standard text when present. */
    public void refuse(HttpServerExchange exchange, Optional<String> message) {
        closeUnread(exchange);
        ask(exchange);
        if (message.isPresent()) {
            RegistryError.UNAUTHORIZED.send(exchange, message.get());
        } else {
            RegistryError.UNAUTHORIZED.send(exchange, ParsedRequest.of(exchange).accesses());
        }
    }

    /** Only the header: for a page that answers 401 with its own body. */
    public void ask(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, header);
    }

    /**
     * A refused request's body is not read: the connection closes after the answer. Draining an unauthenticated or
     * unauthorized upload would let anyone make the gate read gigabytes.
     */
    public static void closeUnread(HttpServerExchange exchange) {
        if (!exchange.isRequestComplete()) {
            exchange.setPersistent(false);
        }
    }
}
