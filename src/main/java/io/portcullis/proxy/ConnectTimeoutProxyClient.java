package io.portcullis.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.WorkerUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Bounds the time to get an upstream connection. Undertow's proxy only knows a whole-request limit, which would
 * also cut long uploads; without this, a registry host that drops SYNs holds clients for the kernel's connect
 * timeout (minutes). A connection that arrives after the deadline is closed.
 */
final class ConnectTimeoutProxyClient implements ProxyClient {
    private final ProxyClient delegate;
    private final long timeoutMillis;

    ConnectTimeoutProxyClient(ProxyClient delegate, long timeoutMillis) {
        this.delegate = delegate;
        this.timeoutMillis = timeoutMillis;
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
        XnioExecutor.Key timer = WorkerUtils.executeAfter(exchange.getIoThread(), () -> {
            if (settled.compareAndSet(false, true)) {
                callback.couldNotResolveBackend(exchange);
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        delegate.getConnection(target, exchange, new ProxyCallback<>() {
            @Override
            public void completed(HttpServerExchange ex, ProxyConnection connection) {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
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
