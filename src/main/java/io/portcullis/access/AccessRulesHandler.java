package io.portcullis.access;

import io.portcullis.auth.AuthenticatedUser;
import io.portcullis.observe.LogText;
import io.portcullis.registry.RegistryError;
import io.portcullis.registry.RequestedAccess;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only when the access rules allow what it asks for. Sits after basic auth: a user who
 * is denied gets 403 {@code DENIED}; a request without credentials gets the 401 challenge, so clients log in.
 */
public final class AccessRulesHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRulesHandler.class);

    private final AccessPolicy policy;
    private final String challenge;
    private final HttpHandler next;

    public AccessRulesHandler(AccessPolicy policy, String realm, HttpHandler next) {
        this.policy = policy;
        this.challenge = "Basic realm=\"" + realm + "\"";
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<String> user = AuthenticatedUser.of(exchange);
        String method = exchange.getRequestMethod().toString();
        if (policy.permits(user, method, exchange.getRequestPath(), exchange.getQueryString())) {
            next.handleRequest(exchange);
            return;
        }
        if (!exchange.isRequestComplete()) {
            // a refused upload is not read: close the connection instead of draining the layer
            exchange.setPersistent(false);
        }
        var detail = RequestedAccess.of(method, exchange.getRequestPath(), exchange.getQueryString());
        if (user.isEmpty()) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, challenge);
            RegistryError.UNAUTHORIZED.send(exchange, detail);
            return;
        }
        LOG.info("access denied to user '{}': {} {}", LogText.printable(user.get()), method, LogText.printable(exchange.getRequestPath()));
        RegistryError.DENIED.send(exchange, detail);
    }
}
