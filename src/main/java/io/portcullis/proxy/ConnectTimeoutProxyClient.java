package io.portcullis.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.WorkerUtils;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.XnioIoThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Bounds the time to open an upstream connection. Undertow's proxy only knows a whole-request limit, which would
 * also cut long uploads; without this, a registry host that drops SYNs holds clients for the kernel's connect
 * timeout (minutes). A connection that arrives after the deadline is closed.
 *
 * <p>Only connecting is timed, not waiting in the pool's queue: when every connection of this IO thread's pool is
 * busy the request waits (up to {@code --upstream-queue} of them) for one to come back, however long the running
 * transfers take; otherwise a busy pool would turn queued requests into 503s after the connect timeout.
 * Undertow's client exposes neither the connect nor the queue, so the busy connections are counted here.
 */
final class ConnectTimeoutProxyClient implements ProxyClient {
    private static final XnioExecutor.Key NO_TIMER = () -> false;
    private final ProxyClient delegate;
    private final long timeoutMillis;
    private final int connectionsPerIoThread;
    private final Map<XnioIoThread, AtomicInteger> busy = new ConcurrentHashMap<>();

    ConnectTimeoutProxyClient(ProxyClient delegate, long timeoutMillis, int connectionsPerIoThread) {
        this.delegate = delegate;
        this.timeoutMillis = timeoutMillis;
        this.connectionsPerIoThread = connectionsPerIoThread;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        return delegate.findTarget(exchange);
    }

    @Override
    public List<ProxyTarget> getAllTargets() {
        return delegate.getAllTargets();
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        AtomicBoolean settled = new AtomicBoolean();
        AtomicInteger inUse = busy.computeIfAbsent(exchange.getIoThread(), t -> new AtomicInteger());
        // connections in use or being opened on this thread, this request's excepted; released when it ends
        boolean queued = inUse.getAndIncrement() >= connectionsPerIoThread;
        exchange.addExchangeCompleteListener((done, next) -> {
            inUse.decrementAndGet();
            next.proceed();
        });
        XnioExecutor.Key timer = queued ? NO_TIMER : WorkerUtils.executeAfter(exchange.getIoThread(), () -> {
            if (settled.compareAndSet(false, true)) {
                callback.couldNotResolveBackend(exchange);
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        delegate.getConnection(target, exchange, new ProxyCallback<>() {
            @Override
            public void completed(HttpServerExchange ex, ProxyConnection connection) {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
                    StallWatchdog.upstreamConnected(ex, connection.getConnection());
                    callback.completed(ex, connection);
                } else {
                    IoUtils.safeClose(connection.getConnection());
                }
            }

            @Override
            public void failed(HttpServerExchange ex) {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
                    callback.failed(ex);
                }
            }

            @Override
            public void couldNotResolveBackend(HttpServerExchange ex) {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
                    callback.couldNotResolveBackend(ex);
                }
            }

            @Override
            public void queuedRequestFailed(HttpServerExchange ex) {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
                    callback.queuedRequestFailed(ex);
                }
            }
        }, timeout, timeUnit);
    }
}
