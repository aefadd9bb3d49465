package io.portcullis.frontdoor;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, before authentication, requests no registry client sends and that a registry or a proxy may read
 * differently from the gate: methods outside the registry API, request targets that are not a plain path
 * ({@code OPTIONS *}, absolute-form) and any Transfer-Encoding but a single {@code chunked}. Dot segments are the
 * registry's router's to answer (a 301 to the cleaned path, see {@code registry.RouterAnswer}): nothing is forwarded. The rest of HTTP framing (CL+TE,
 * differing Content-Lengths, a missing or repeated Host, bad header syntax) Undertow's parser already answers with
 * 400. The answer closes the connection without reading the body: its framing is exactly what is in doubt.
 */
public final class RequestSanityHandler implements HttpHandler {
    /** The registry API's methods; OPTIONS stays for CORS preflights of registry UIs. */
    static final Set<HttpString> METHODS = Set.of(Methods.GET, Methods.HEAD, Methods.POST, Methods.PUT, Methods.PATCH,
            Methods.DELETE, Methods.OPTIONS);
    static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    /**
     * Request line plus headers above this get 431. Undertow's own limit ({@code MAX_HEADER_SIZE}, set higher in
     * Gate) can only answer a bare 400 and close; this one gives clients the right status and a reason.
     */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private final HttpHandler next;

    public RequestSanityHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!METHODS.contains(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, ALLOW);
            Refusal.send(exchange, 405, "method " + exchange.getRequestMethod() + " is not part of the registry API");
            return;
        }
        if (headerBytes(exchange) > MAX_HEADER_BYTES) {
            Refusal.send(exchange, 431, "request headers are larger than " + MAX_HEADER_BYTES / 1024 + " KiB");
            return;
        }
        String problem = targetProblem(exchange);
        if (problem == null) {
            problem = transferEncodingProblem(exchange);
        }
        if (problem != null) {
            Refusal.send(exchange, 400, problem);
            return;
        }
        next.handleRequest(exchange);
    }

    /** The size of the request line and headers as received, give or take whitespace. */
    private static long headerBytes(HttpServerExchange exchange) {
        long n = exchange.getRequestMethod().length() + exchange.getRequestURI().length() + exchange.getQueryString().length() + 14;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String value : values) {
                n += values.getHeaderName().length() + value.length() + 4;
            }
        }
        return n;
    }

    private static String targetProblem(HttpServerExchange exchange) {
        if (exchange.isHostIncludedInRequestURI()) {
            // absolute-form is for forward proxies (RFC 9112 3.2.2); its authority could disagree with Host, which
            // the registry builds upload URLs from. Registry clients always send the path only.
            return "absolute-form request targets are not accepted; send the path only";
        }
        String raw = exchange.getRequestURI();
        if (!raw.startsWith("/")) {
            return "the request target must be a path starting with /";
        }
        return null;
    }

    private static String transferEncodingProblem(HttpServerExchange exchange) {
        HeaderValues te = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        if (te == null) {
            return null;
        }
        if (te.size() != 1 || !te.getFirst().strip().toLowerCase(Locale.ROOT).equals("chunked")) {
            return "Transfer-Encoding must be exactly 'chunked' when present";
        }
        return null;
    }
}
