package io.portcullis.server;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;

/**
 * The step that counts requests in flight, kept so a drain can stop new ones and wait for the rest (Undertow's
 * {@link GracefulShutdownHandler}, which needs its {@code next} when it is made).
 */
final class InFlightRequests implements HandlerWrapper {
    private GracefulShutdownHandler counter;

    @Override
    public HttpHandler wrap(HttpHandler next) {
        counter = new GracefulShutdownHandler(next);
        return counter;
    }

    /** New requests get a 503 from now on. */
    void shutdown() {
        counter.shutdown();
    }

    boolean awaitShutdown(long millis) throws InterruptedException {
        return counter.awaitShutdown(millis);
    }
}
