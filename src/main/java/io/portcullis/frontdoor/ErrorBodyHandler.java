package io.portcullis.frontdoor;

import io.portcullis.exchange.WhoAnswered;
import io.portcullis.base.LogText;
import io.portcullis.api.RegistryError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the responses Undertow produces without a body (the proxy's 503 when the registry is down, 504 on a
 * timeout, 500 on a bug, any other status a handler set without a body) the registry's JSON error envelope, with
 * the status unchanged, so clients print a reason instead of "EOF".
 * Proxied responses already started and are never touched.
 */
public final class ErrorBodyHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorBodyHandler.class);

    private final HttpHandler next;

    public ErrorBodyHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addDefaultResponseListener(ex -> {
            if (ex.isResponseStarted() || ex.getStatusCode() < 400) {
                return false;
            }
            WhoAnswered.markAnsweredByGate(ex);
            if (ex.getStatusCode() >= 500) {
                LOG.warn("answered {} to {} {}: no response from the registry (unreachable, timed out or busy) or the gate is stopping",
                        ex.getStatusCode(), ex.getRequestMethod(), LogText.printable(ex.getRequestPath()));
            }
            // the status stays what the gate chose; only the body is added (a 404 must not become a 500)
            RegistryError.sendForStatus(ex);
            return true;
        });
        next.handleRequest(exchange);
    }
}
