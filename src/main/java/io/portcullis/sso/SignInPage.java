package io.portcullis.sso;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The small pages of single sign-on: the choice of how to sign in (or sign out), and what went wrong. */
final class SignInPage {
    private SignInPage() {
    }

    static void send(HttpServerExchange exchange, Optional<Session> session) {
        String body = session.map(s -> "<p>Signed in as <b>" + html(s.user()) + "</b>.</p>"
                        + "<p><a href=\"/ui/\">Open the catalog</a></p>"
                        + "<form method=\"post\" action=\"" + SsoHandler.LOGOUT + "\"><button id=\"sign-out\">Sign out</button></form>")
                .orElse("<p><a id=\"sso\" href=\"" + SsoHandler.LOGIN + "\">Sign in with single sign-on</a></p>"
                        + "<p><a id=\"password\" href=\"" + SsoHandler.PASSWORD + "\">Sign in with a user name and password</a></p>");
        page(exchange, 200, "Sign in", body);
    }

    static void sendError(HttpServerExchange exchange, int status, String why) {
        page(exchange, status, "Sign-in failed", "<p>" + html(why) + "</p><p><a href=\"" + SsoHandler.SIGN_IN_PAGE
                + "\">Try again</a></p>");
    }

    private static void page(HttpServerExchange exchange, int status, String title, String body) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, "default-src 'none'; form-action 'self'");
        Answer.send(exchange, status, Answer.HTML, ("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title
                + " · Portcullis</title></head><body><h1>" + title + "</h1>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8));
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
