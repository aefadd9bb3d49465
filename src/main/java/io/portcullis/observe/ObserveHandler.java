package io.portcullis.observe;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost handler: measures each exchange (start, duration, request body bytes actually read) and, when it
 * completes, hands one {@link ExchangeRecord} to the observers (access log, metrics). Measuring once here keeps
 * the log line and the metrics in agreement.
 */
public final class ObserveHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveHandler.class);

    private final List<ExchangeObserver> observers;
    private final HttpHandler next;

    public ObserveHandler(List<ExchangeObserver> observers, HttpHandler next) {
        this.observers = List.copyOf(observers);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Instant time = Instant.now();
        long start = System.nanoTime();
        CountingSourceConduit.BodyBytes bodyBytes = new CountingSourceConduit.BodyBytes();
        // applied when a handler first asks for the request channel (the proxy, when it streams the body)
        exchange.addRequestWrapper((factory, ex) -> new CountingSourceConduit(factory.create(), bodyBytes));
        for (ExchangeObserver observer : observers) {
            observer.started();
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                ExchangeRecord record = ExchangeRecord.of(ex, time, System.nanoTime() - start, bodyBytes.get());
                for (ExchangeObserver observer : observers) {
                    completed(observer, record);
                }
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private static void completed(ExchangeObserver observer, ExchangeRecord record) {
        try {
            observer.completed(record);
        } catch (RuntimeException e) {
            // one broken observer must not keep the others (or the connection) from finishing
            LOG.warn("recording an exchange failed", e);
        }
    }
}
