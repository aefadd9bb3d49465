package io.portcullis.frontdoor;

import io.portcullis.base.HostText;
import io.portcullis.exchange.Answer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The whole plain-HTTP listener: every request gets a 308 to the same path on the HTTPS port and a sentence saying
 * why, so a client pointed at the wrong scheme shows the reason instead of "server gave HTTP response to HTTPS
 * client". Never proxies, never reads a body, never looks at credentials (they already crossed the wire in clear:
 * the text says so).
 */
public final class HttpsRedirectHandler implements HttpHandler {
    /** Host names and IP literals only, so nothing from the request can shape the Location beyond the host. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

    private final IntSupplier httpsPort;

    /** @param httpsPort the bound HTTPS port, asked per request (it is only known once the listener runs) */
    public HttpsRedirectHandler(IntSupplier httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int port = httpsPort.getAsInt();
        String location = "https://" + host(exchange) + ":" + port + exchange.getRequestURI()
                + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        String text = "Portcullis speaks HTTPS on port " + port + ": use " + location + "\n"
                + "(this plain-HTTP port only redirects; anything sent here, credentials included, crossed the network unencrypted)\n";
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        Answer.text(exchange, 308, text);
    }

    private static String host(HttpServerExchange exchange) {
        String name = exchange.getHostName();
        if (name != null) {
            name = HostText.bracketed(name);
        }
        if (name != null && HOST.matcher(name).matches()) {
            return name;
        }
        String local = exchange.getDestinationAddress().getAddress().getHostAddress();
        return HostText.bracketed(local);
    }
}
