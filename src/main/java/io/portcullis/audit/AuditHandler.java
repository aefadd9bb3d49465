package io.portcullis.audit;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Sits after the parse: when the exchange is over, and so the registry's answer known, hands the event it stands
 * for (if any) to the audit trail. Adds one completion listener per request and nothing else.
 */
final class AuditHandler implements HttpHandler {
    private final AuditTrail trail;
    private final HttpHandler next;

    AuditHandler(AuditTrail trail, HttpHandler next) {
        this.trail = trail;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                trail.completed(ex);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }
}
