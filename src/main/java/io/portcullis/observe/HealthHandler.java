package io.portcullis.observe;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/**
 * Answers {@code GET}/{@code HEAD} on exactly {@code /livez} and {@code /readyz}, without credentials, and never
 * forwards them: they are not registry paths, and the registry must not see probe traffic as requests.
 * /livez says the process serves requests; /readyz is {@link Readiness}'s cached state (answered from memory,
 * so it is safe on the IO thread). Everything else goes to {@code next}.
 */
public final class HealthHandler implements HttpHandler {
    public static final String LIVEZ = "/livez";
    public static final String READYZ = "/readyz";
    private static final String LIVE_BODY = "{\"status\":\"ok\"}";

    private final Readiness readiness;
    private final HttpHandler next;

    public HealthHandler(Readiness readiness, HttpHandler next) {
        this.readiness = readiness;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean readable = exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
        String path = exchange.getRequestPath();
        if (readable && path.equals(LIVEZ)) {
            send(exchange, 200, LIVE_BODY);
        } else if (readable && path.equals(READYZ)) {
            Readiness.State state = readiness.current();
            send(exchange, state.ready() ? 200 : 503, state.json());
        } else {
            next.handleRequest(exchange);
        }
    }

    private static void send(HttpServerExchange exchange, int status, String json) {
        // probes must see the state now, never a cached answer from a proxy on the way
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        Answer.json(exchange, status, json);
    }
}
