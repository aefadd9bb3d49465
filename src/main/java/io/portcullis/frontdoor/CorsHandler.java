package io.portcullis.frontdoor;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Set;

/**
 * Cross-origin access for web UIs on the origins the operator listed ({@code cors-origin}), and for nobody else.
 *
 * <p>A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) from a listed origin is answered here,
 * before authentication: browsers never send credentials on a preflight, so a 401 there (what Joxit's
 * docker-registry-ui users keep meeting behind nginx) fails every request the UI makes. It says nothing about
 * the registry: which methods and headers the API uses is public. The actual request then goes through
 * authentication and the access rules like any other, and its answer carries the exact origin with
 * {@code Allow-Credentials: true} (never {@code *}, which browsers refuse with credentials, and which would let any
 * site read the registry with a logged-in user's browser) and exposes the headers registry clients read.
 *
 * <p>Every answer says {@code Vary: Origin}, so a cache never hands one origin's answer to another. Requests from
 * other origins get no CORS headers at all: the browser keeps their answers from the page.
 */
public final class CorsHandler implements HttpHandler {
    static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    /** What registry clients send besides the safelisted headers; a UI needs Authorization above all. */
    static final String REQUEST_HEADERS = "Authorization, Accept, Content-Type, Content-Range, Range, If-None-Match, "
            + "Docker-Distribution-Api-Version";
    static final String EXPOSED = "Docker-Content-Digest, Docker-Distribution-Api-Version, Docker-Upload-UUID, Link, "
            + "Location, Range, WWW-Authenticate";
    /** Browsers cap it anyway (Chromium at 2 hours); ten minutes keeps a UI from preflighting every request. */
    static final String MAX_AGE = "600";

    private static final HttpString REQUEST_METHOD = HttpString.tryFromString("Access-Control-Request-Method");
    private static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_CREDENTIALS = HttpString.tryFromString("Access-Control-Allow-Credentials");
    private static final HttpString ALLOW_METHODS = HttpString.tryFromString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = HttpString.tryFromString("Access-Control-Allow-Headers");
    private static final HttpString EXPOSE_HEADERS = HttpString.tryFromString("Access-Control-Expose-Headers");
    private static final HttpString MAX_AGE_HEADER = HttpString.tryFromString("Access-Control-Max-Age");

    private final Set<String> origins;
    private final HttpHandler next;

    /** @param origins exact origins as browsers send them ({@code config.CorsSettings} checked their form) */
    public CorsHandler(Set<String> origins, HttpHandler next) {
        this.origins = Set.copyOf(origins);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders().add(Headers.VARY, "Origin");
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null || !origins.contains(origin)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin);
        exchange.getResponseHeaders().put(ALLOW_CREDENTIALS, "true");
        if (exchange.getRequestMethod().equals(Methods.OPTIONS) && exchange.getRequestHeaders().contains(REQUEST_METHOD)) {
            exchange.getResponseHeaders().put(ALLOW_METHODS, METHODS);
            exchange.getResponseHeaders().put(ALLOW_HEADERS, REQUEST_HEADERS);
            exchange.getResponseHeaders().put(MAX_AGE_HEADER, MAX_AGE);
            if (!exchange.isRequestComplete()) {
                exchange.setPersistent(false); // a preflight has no body; one that sends one is not read
            }
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(EXPOSE_HEADERS, EXPOSED);
        next.handleRequest(exchange);
    }
}
