package io.portcullis.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

/**
 * The gate's own paths beside the registry's API: the web UI under {@code /ui/}, and {@code /} and {@code /ui}
 * that only redirect to it. The registry routes none of them (its {@code /} answers 200 with an empty body), so
 * with the UI on they are the gate's to answer.
 */
public final class UiPaths {
    private UiPaths() {
    }

    public static boolean isUiPath(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith("/ui/");
    }

    /**
     * A GET of {@code /} or {@code /ui}: only redirected to {@code /ui/}, which shows nothing, so it needs no login.
     * A browser opening {@code https://host:5043/} then meets the login (or the anonymous catalog) at {@code /ui/}
     * itself, the address it can bookmark, instead of a password dialog over a page that is about to move; and
     * {@code curl https://host:5043/} gets a 302 whatever the rules, never a page of repositories.
     */
    public static boolean isEntrance(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        return (path.equals("/") || path.equals("/ui")) && isRead(exchange);
    }

    public static boolean isRead(HttpServerExchange exchange) {
        return exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
    }
}
