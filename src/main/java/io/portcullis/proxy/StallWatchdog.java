package io.portcullis.proxy;

import io.portcullis.exchange.WhoAnswered;
import io.portcullis.observe.CountingSourceConduit;
import io.undertow.client.ClientConnection;
import io.portcullis.exchange.BufferedBody;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import io.undertow.util.WorkerUtils;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Ends a proxied exchange whose bytes stopped moving for the read timeout: neither request body read from the
 * client nor response bytes written to it (an upload the registry stopped reading, a response that never comes,
 * a download the registry stopped sending). Not a limit on a whole transfer: any progress restarts the clock.
 *
 * <p>Why not the {@code READ_TIMEOUT}/{@code WRITE_TIMEOUT} socket options on the upstream connections: Undertow's
 * {@code HttpClientConnection.sendRequest} (2.3.27, still in 2.4.4) wraps the pooled connection's channels in a
 * new {@code ReadTimeoutStreamSourceConduit} and {@code WriteTimeoutStreamSinkConduit}, each with a new
 * {@code HttpOpenListener}, on every request when those options are set, so the conduit chain of a pooled
 * connection grows by ~1 KiB per request for as long as the connection lives: 95,000 requests ended in
 * OutOfMemoryError at -Xmx48m ({@code UpstreamLeakTest}). This watchdog is one timer per exchange, gone with it.
 *
 * <p>A stall is noticed between the timeout and 1.25 times it: the clock is read every quarter timeout.
 */
final class StallWatchdog implements Runnable {
    private static final AttachmentKey<StallWatchdog> KEY = AttachmentKey.create(StallWatchdog.class);
    private static final int CHECKS_PER_TIMEOUT = 4;

    private final HttpServerExchange exchange;
    private final long timeoutNanos;
    private final long tickMillis;
    private final CountingSourceConduit.BodyBytes requestBytes = new CountingSourceConduit.BodyBytes();
    private volatile ClientConnection upstream;
    private volatile boolean done;
    private long lastSeen = -1;
    private long lastProgressNanos = System.nanoTime();
    private XnioExecutor.Key timer;

    private StallWatchdog(HttpServerExchange exchange, long timeoutMillis) {
        this.exchange = exchange;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.tickMillis = Math.max(1, timeoutMillis / CHECKS_PER_TIMEOUT);
    }

    /** Starts watching {@code exchange}; call before the proxy asks for the request or response channel. */
    static void watch(HttpServerExchange exchange, long timeoutMillis) {
        StallWatchdog watchdog = new StallWatchdog(exchange, timeoutMillis);
        exchange.putAttachment(KEY, watchdog);
        // a body the gate already read into memory (a checked manifest) cannot stall: nothing to count
        if (!BufferedBody.is(exchange)) {
            exchange.addRequestWrapper((factory, ex) -> new CountingSourceConduit(factory.create(), watchdog.requestBytes));
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            watchdog.stop();
            next.proceed();
        });
        watchdog.schedule();
    }

    /** The upstream connection now carrying {@code exchange}: closed when the exchange stalls. */
    static void upstreamConnected(HttpServerExchange exchange, ClientConnection connection) {
        StallWatchdog watchdog = exchange.getAttachment(KEY);
        if (watchdog != null) {
            watchdog.upstream = connection;
        }
    }

    private void schedule() {
        try {
            timer = WorkerUtils.executeAfter(exchange.getIoThread(), this, tickMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping: its connections are being closed anyway
        }
    }

    private void stop() {
        done = true;
        XnioExecutor.Key t = timer;
        if (t != null) {
            t.remove();
        }
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        long seen = requestBytes.get() + exchange.getResponseBytesSent();
        long now = System.nanoTime();
        if (seen != lastSeen) {
            lastSeen = seen;
            lastProgressNanos = now;
        }
        if (now - lastProgressNanos < timeoutNanos) {
            schedule();
            return;
        }
        done = true;
        IoUtils.safeClose(upstream);
        if (exchange.isResponseStarted()) {
            // part of a response went out: the client can only learn of the failure from a cut connection
            IoUtils.safeClose(exchange.getConnection());
        } else {
            WhoAnswered.markAnsweredByGate(exchange);
            exchange.setPersistent(false);
            exchange.setStatusCode(StatusCodes.GATEWAY_TIME_OUT);
            exchange.endExchange();
        }
    }
}
