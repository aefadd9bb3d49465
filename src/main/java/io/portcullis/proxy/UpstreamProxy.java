package io.portcullis.proxy;

import io.portcullis.config.Settings;
import io.portcullis.exchange.WhoAnswered;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.URI;
import java.time.Duration;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;
import org.xnio.Options;

/**
 * The last handler: Undertow's streaming reverse proxy to the registry, mounted at the root so the raw URI and
 * query pass byte-for-byte. Bodies flow through pooled buffers in both directions, never whole.
 */
public final class UpstreamProxy {
    /** Seconds a refused upstream is skipped before it is tried again (quick recovery after a registry restart). */
    private static final int PROBLEM_SERVER_RETRY_SECONDS = 1;

    private UpstreamProxy() {
    }

    /** @param idleTimeout how long an unused pooled upstream connection is kept open */
    public record Limits(int connectionsPerIoThread, int queuePerIoThread, Duration connectTimeout,
                         Duration readTimeout, Duration writeTimeout, Duration idleTimeout) {
        /** The registry connections' limits, with the clients' read and write timeouts for the bodies they relay. */
        public static Limits from(Settings.Upstream upstream, Settings.Connections clients) {
            return new Limits(upstream.connections(), upstream.queue(), upstream.connectTimeout(), clients.readTimeout(),
                    clients.writeTimeout(), upstream.idleTimeout());
        }
    }

    public static HttpHandler to(URI upstream, Limits limits) {
        LoadBalancingProxyClient client = new LoadBalancingProxyClient()
                // these are copied when addHost runs, so they must be set first
                .setConnectionsPerThread(limits.connectionsPerIoThread())
                // no "core" connections kept forever: every idle one closes after the TTL, so the fds a burst of
                // parallel pushes opened return (a soft max of 16 kept 35 idle connections, fds 23 -> 56, for good)
                .setSoftMaxConnectionsPerThread(0)
                .setMaxQueueSize(limits.queuePerIoThread())
                .setTtl((int) limits.idleTimeout().toMillis())
                .setProblemServerRetry(PROBLEM_SERVER_RETRY_SECONDS);
        boolean tls = upstream.getScheme().equals("https");
        // no READ_TIMEOUT/WRITE_TIMEOUT here: Undertow's client would add two conduits per request (StallWatchdog)
        OptionMap.Builder socket = OptionMap.builder().set(Options.TCP_NODELAY, true);
        XnioSsl ssl = null;
        if (tls) {
            // an https upstream is verified like any client would: JDK trust store and host name check
            socket.set(UndertowOptions.ENDPOINT_IDENTIFICATION_ALGORITHM, "HTTPS");
            ssl = new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, defaultSslContext());
        }
        client.addHost(upstream, null, ssl, socket.getMap());
        HttpHandler proxy = ProxyHandler.builder()
                .setProxyClient(new ConnectTimeoutProxyClient(client, limits.connectTimeout().toMillis(),
                        limits.connectionsPerIoThread()))
                // no whole-exchange limit: a multi-gigabyte layer may take as long as it takes
                .setMaxRequestTime(-1)
                .setRewriteHostHeader(false)
                .setReuseXForwarded(false)
                .setNext(ResponseCodeHandler.HANDLE_404)
                .build();
        long stallMillis = Math.max(limits.readTimeout().toMillis(), limits.writeTimeout().toMillis());
        return exchange -> {
            WhoAnswered.markForwarded(exchange);
            StallWatchdog.watch(exchange, stallMillis);
            // The registry's connection headers describe its connection to the gate, which the pool manages. Passed
            // on, a "Connection: close" from the registry (Go sends it e.g. after an unread request body or when
            // shutting down) also closed the client's connection, costing it a new TLS handshake, and its Keep-Alive
            // told the client the registry's timeouts. Runs before Undertow reads Connection to decide persistence.
            exchange.addResponseCommitListener(ex -> HopByHop.remove(ex.getResponseHeaders()));
            // a registry 5xx reaches the client without the registry's internals (storage paths, driver names)
            exchange.addResponseWrapper(RegistryFailureBody.WRAPPER);
            proxy.handleRequest(exchange);
        };
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime has no default TLS context", e);
        }
    }
}
