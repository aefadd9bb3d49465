package io.portcullis.observe;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;

/**
 * Answers {@code GET}/{@code HEAD /metrics} with {@link GateMetrics} in the Prometheus text format; everything
 * else goes to {@code next}. Only on the admin listener: metrics reveal user counts and traffic, so they are
 * never served where the registry's clients connect.
 */
public final class MetricsHandler implements HttpHandler {
    public static final String PATH = "/metrics";

    private final GateMetrics metrics;
    private final HttpHandler next;

    public MetricsHandler(GateMetrics metrics, HttpHandler next) {
        this.metrics = metrics;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean readable = exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
        if (!readable || !exchange.getRequestPath().equals(PATH)) {
            next.handleRequest(exchange);
            return;
        }
        // a few kilobytes built in memory (CPU only, no IO), then sent without blocking
        ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
        metrics.scrape(text);
        Answer.send(exchange, 200, metrics.contentType(), text.toByteArray());
    }
}
