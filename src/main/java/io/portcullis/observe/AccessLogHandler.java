package io.portcullis.observe;

import io.portcullis.auth.AuthenticatedUser;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per exchange, written when it completes: client, user, method, path, status, bytes sent, duration.
 * The query string is left out (upload state tokens are long and say nothing to an operator) and no header is
 * ever logged, so credentials cannot leak here.
 */
public final class AccessLogHandler implements HttpHandler {
    private static final Logger ACCESS = LoggerFactory.getLogger("portcullis.access");

    private final HttpHandler next;

    public AccessLogHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                if (ACCESS.isInfoEnabled()) {
                    ACCESS.info(line(ex, System.nanoTime() - start));
                }
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    static String line(HttpServerExchange ex, long elapsedNanos) {
        InetSocketAddress source = ex.getSourceAddress();
        String client = source == null || source.getAddress() == null ? "-" : source.getAddress().getHostAddress();
        return client
                + " user=" + LogText.printable(AuthenticatedUser.of(ex).orElse("-"))
                + " \"" + ex.getRequestMethod() + " " + LogText.printable(ex.getRequestPath()) + " " + ex.getProtocol() + "\""
                + " status=" + ex.getStatusCode()
                + " bytes=" + ex.getResponseBytesSent()
                + " ms=" + TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
    }
}
