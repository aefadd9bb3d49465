package io.portcullis.server;

import io.portcullis.base.UserError;
import io.portcullis.config.HostPort;
import io.portcullis.observe.GateMetrics;
import io.portcullis.observe.HealthHandler;
import io.portcullis.observe.MetricsHandler;
import io.portcullis.observe.Readiness;
import io.undertow.Undertow;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.net.InetSocketAddress;

/**
 * The optional plain-HTTP listener for orchestrators and Prometheus: /livez, /readyz and /metrics, nothing else,
 * no authentication. A server of its own (one IO thread) rather than a second listener on the gate's server, so
 * scrapes never share threads with layer transfers and a port clash names the right flag.
 */
final class AdminListener implements AutoCloseable {
    private final Undertow undertow;
    private final InetSocketAddress address;

    private AdminListener(Undertow undertow, InetSocketAddress address) {
        this.undertow = undertow;
        this.address = address;
    }

    static AdminListener start(HostPort listen, Readiness readiness, GateMetrics metrics) {
        Undertow undertow = Undertow.builder()
                .addHttpListener(listen.port(), listen.host())
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setHandler(new HealthHandler(readiness, new MetricsHandler(metrics, ResponseCodeHandler.HANDLE_404)))
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            if (Gate.causedBy(e, java.net.BindException.class)) {
                throw new UserError("cannot listen on " + listen + " (--admin-listen): " + Gate.rootMessage(e)
                        + "; stop whatever holds that port or choose another");
            }
            throw e;
        }
        return new AdminListener(undertow, (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress());
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
