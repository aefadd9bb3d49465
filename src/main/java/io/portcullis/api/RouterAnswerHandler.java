package io.portcullis.api;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.Predicate;

/**
 * Gives the answers the registry's router gives by itself ({@link RouterAnswer}: 404 for a path no endpoint has, 301
 * where it redirects, 400 for an undecodable path, 200 on {@code /}) before authentication, as the registry does.
 * They depend on the path's text alone, so they tell an anonymous client nothing about what is stored or who may
 * see it: the same 404 comes for every repository, existing or not, readable or not. Nothing is forwarded and no
 * credential is checked (so no bcrypt, no throttle count). Paths the gate serves itself (the web catalog) pass.
 */
public final class RouterAnswerHandler implements HttpHandler {
    private final Predicate<HttpServerExchange> gatesOwn;
    private final HttpHandler next;

    /** @param gatesOwn true for requests the gate serves itself, whatever the registry would say of the path */
    public RouterAnswerHandler(Predicate<HttpServerExchange> gatesOwn, HttpHandler next) {
        this.gatesOwn = gatesOwn;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!(ParsedRequest.of(exchange) instanceof RouterAnswer answer) || gatesOwn.test(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        if (!exchange.isRequestComplete()) {
            // nothing will read the body: close rather than drain an upload sent to a wrong path
            exchange.setPersistent(false);
        }
        switch (answer.status()) {
            case 200 -> {
                // the registry's liveness answer on "/": empty, not to be cached
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                Answer.send(exchange, 200, Answer.TEXT, new byte[0]);
            }
            case 301 -> {
                exchange.getResponseHeaders().put(Headers.LOCATION, answer.location().orElseThrow());
                Answer.send(exchange, 301, Answer.TEXT, new byte[0]);
            }
            default -> {
                exchange.setStatusCode(answer.status());
                answer.error().send(exchange, answer.reason());
            }
        }
    }
}
