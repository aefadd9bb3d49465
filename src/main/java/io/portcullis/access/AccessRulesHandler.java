package io.portcullis.access;

import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.token.AuthenticatedToken;
import io.portcullis.base.LogText;
import io.portcullis.api.LoginChallenge;
import io.portcullis.api.RegistryError;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RefusedRequest;
import io.portcullis.api.RegistryOperation;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether the user may do what a request asks: only a request that parsed into a registry
 * operation (see {@link ParsedRequest}) and whose accesses the rules allow goes on. Later steps may still refuse a
 * permitted write for the registry's sake (maintenance, a protected tag), never let more through. Sits after basic auth: a user who is denied gets
 * 403 {@code DENIED}, a request that did not parse 400 with the registry's code for what is wrong; a request without
 * credentials gets the 401 challenge either way, so clients log in and nobody learns anything without.
 */
public final class AccessRulesHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRulesHandler.class);

    private final AccessPolicy policy;
    private final LoginChallenge challenge;
    private final HttpHandler next;

    public AccessRulesHandler(AccessPolicy policy, LoginChallenge challenge, HttpHandler next) {
        this.policy = policy;
        this.challenge = challenge;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<String> user = AuthenticatedUser.of(exchange);
        ParsedRequest parsed = ParsedRequest.of(exchange);
        if (parsed instanceof RegistryOperation operation
                && policy.permits(user, AuthenticatedUser.groups(exchange), AuthenticatedToken.of(exchange), operation)) {
            next.handleRequest(exchange);
            return;
        }
        if (user.isEmpty()) {
            challenge.refuse(exchange, Optional.empty());
            return;
        }
        LoginChallenge.closeUnread(exchange);
        String method = exchange.getRequestMethod().toString();
        if (parsed instanceof RefusedRequest refused) {
            // authenticated, but the registry could read this request otherwise than the gate: never forwarded
            LOG.info("refused for user '{}': {} {}: {}", LogText.printable(user.get()), method,
                    LogText.printable(exchange.getRequestURI()), refused.reason());
            refused.error().send(exchange, refused.reason());
            return;
        }
        LOG.info("access denied to user '{}': {} {}", LogText.printable(user.get()), method, LogText.printable(exchange.getRequestPath()));
        RegistryError.DENIED.send(exchange, parsed.accesses());
    }
}
