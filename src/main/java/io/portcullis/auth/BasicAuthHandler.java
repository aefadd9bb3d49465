package io.portcullis.auth;

import io.portcullis.observe.LogText;
import io.portcullis.registry.RegistryError;
import io.portcullis.registry.RequestedAccess;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with valid basic credentials. Remembered credentials pass on the IO thread;
 * anything else is checked with bcrypt on a worker, so an IO thread never stalls its other connections.
 * Rejections look exactly like registry:2's own htpasswd 401, which docker, podman and skopeo rely on.
 */
public final class BasicAuthHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthHandler.class);

    private final Authenticator authenticator;
    private final String challenge;
    private final Executor hashingExecutor;
    private final AuthEvents events;
    private final HttpHandler next;

    /**
     * @param hashingExecutor where bcrypt runs; null means the server's worker pool
     */
    public BasicAuthHandler(Authenticator authenticator, String realm, Executor hashingExecutor, HttpHandler next) {
        this(authenticator, realm, hashingExecutor, AuthEvents.NONE, next);
    }

    /**
     * @param hashingExecutor where bcrypt runs; null means the server's worker pool
     * @param events          told every outcome (metrics)
     */
    public BasicAuthHandler(Authenticator authenticator, String realm, Executor hashingExecutor, AuthEvents events,
                            HttpHandler next) {
        this.authenticator = authenticator;
        this.challenge = "Basic realm=\"" + realm + "\"";
        this.hashingExecutor = hashingExecutor;
        this.events = events;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<Credentials> credentials = Credentials.from(exchange.getRequestHeaders());
        if (credentials.isEmpty()) {
            events.challenged();
            reject(exchange);
            return;
        }
        Credentials c = credentials.get();
        if (authenticator.isRemembered(c)) {
            events.cacheHit();
            admit(exchange, c);
            return;
        }
        events.cacheMiss();
        HttpHandler verifying = ex -> {
            if (authenticator.verify(c)) {
                admit(ex, c);
            } else {
                events.failed();
                LOG.warn("authentication failed for user '{}' from {}", LogText.printable(c.user()), ex.getSourceAddress().getAddress().getHostAddress());
                reject(ex);
            }
        };
        if (hashingExecutor == null) {
            exchange.dispatch(verifying);
        } else {
            exchange.dispatch(hashingExecutor, verifying);
        }
    }

    private void admit(HttpServerExchange exchange, Credentials credentials) throws Exception {
        events.succeeded();
        exchange.putAttachment(AuthenticatedUser.KEY, credentials.user());
        next.handleRequest(exchange);
    }

    private void reject(HttpServerExchange exchange) {
        if (!exchange.isRequestComplete()) {
            // Draining an unauthenticated upload would let anyone make us read gigabytes: close instead.
            exchange.setPersistent(false);
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, challenge);
        RegistryError.UNAUTHORIZED.send(exchange,
                RequestedAccess.of(exchange.getRequestMethod().toString(), exchange.getRequestPath(), exchange.getQueryString()));
    }
}
