package io.portcullis.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Answers a failed login no sooner than a fixed time after its check was accepted ({@link Authenticator#failureFloor}),
 * so the answer's timing tells nothing about the user or its hash. The wait is a timer on the exchange's IO thread,
 * never a sleeping thread: a thousand failing guesses hold a thousand timer entries, not a thousand workers.
 */
final class FailureDelay {
    private FailureDelay() {
    }

    /**
     * Runs {@code answer} at {@code acceptedNanos + floor}, or at once when that has passed. Call from the handler
     * that owns the exchange (IO thread or the dispatched worker): the exchange stays open until the answer.
     */
    static void answer(HttpServerExchange exchange, long acceptedNanos, Duration floor, Runnable answer) {
        long wait = acceptedNanos + floor.toNanos() - System.nanoTime();
        if (wait <= 0) {
            answer.run();
            return;
        }
        // XNIO's timer counts whole milliseconds and truncates (a 0.9 ms wait ran at once, a 1.9 ms one after 1 ms:
        // a failure at bcrypt cost 4 was answered before its 1.2 ms floor), so round up: late by under 1 ms, never early
        long waitMillis = (wait + 999_999) / 1_000_000;
        // the task runs once the current handler returns and keeps the exchange from being ended meanwhile
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                exchange.getIoThread().executeAfter(answer, waitMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }
}
