package io.portcullis.server;

import io.portcullis.base.Cidr;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.proxy.ProxyProtocolOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

/**
 * Accepts plain TCP connections and wraps them in TLS, reading a PROXY protocol header (v1 or v2) first from the
 * configured load balancers only. Undertow's own switch ({@code ENABLE_PROXY_PROTOCOL}) is all-or-nothing: with it
 * any client could name any address, and without it a load balancer's header is taken for a TLS handshake. Here
 * the peer's real TCP address decides: from a load balancer a header is required (Undertow's parser, which closes
 * a connection without a valid one), and the connection then reports the address the header carries, so every
 * later use of the peer address (connection caps, throttle, access log, audit) sees the client; from anyone else
 * the first bytes must be a TLS handshake, so a PROXY header fails it and nothing is served.
 *
 * <p>The header must arrive within the TLS handshake deadline, like the handshake itself: a load balancer that
 * opens a connection and stalls holds no more than a silent client does.
 */
final class ProxiedAccept implements ChannelListener<AcceptingChannel<StreamConnection>> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedAccept.class);

    private final List<Cidr> loadBalancers;
    private final UndertowXnioSsl ssl;
    private final OptionMap tlsOptions;
    private final ByteBufferPool buffers;
    private final long headerMillis;
    private final Consumer<StreamConnection> admit;

    /**
     * @param tlsOptions the listener's TLS options (protocols, suites, client certificate mode)
     * @param admit      takes each connection, wrapped in TLS, with its client's address: caps, deadline, HTTP
     */
    ProxiedAccept(List<Cidr> loadBalancers, UndertowXnioSsl ssl, OptionMap tlsOptions, ByteBufferPool buffers,
                  long headerMillis, Consumer<StreamConnection> admit) {
        this.loadBalancers = List.copyOf(loadBalancers);
        this.ssl = ssl;
        this.tlsOptions = tlsOptions;
        this.buffers = buffers;
        this.headerMillis = headerMillis;
        this.admit = admit;
    }

    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> channel) {
        StreamConnection connection;
        try {
            connection = channel.accept();
        } catch (IOException e) {
            LOG.debug("accept failed", e);
            return;
        }
        if (connection == null) {
            return;
        }
        InetAddress peer = ((InetSocketAddress) connection.getPeerAddress()).getAddress();
        if (!fromLoadBalancer(peer)) {
            admit.accept(serverTls(ssl.wrapExistingConnection(connection, tlsOptions, false)));
            return;
        }
        XnioExecutor.Key deadline = ClientListener.closeAfter(connection, headerMillis, "no PROXY header from a load balancer");
        if (deadline == null) {
            return;
        }
        new ProxyProtocolOpenListener(new AfterHeader(deadline), ssl, buffers, tlsOptions).handleEvent(connection);
    }

    boolean fromLoadBalancer(InetAddress peer) {
        for (Cidr c : loadBalancers) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /** What XNIO's TLS server would set on its engine and {@code wrapExistingConnection} does not. */
    private SslConnection serverTls(SslConnection connection) {
        SSLEngine engine = UndertowXnioSsl.getSslEngine(connection);
        if (engine.getUseClientMode()) {
            engine.setUseClientMode(false);
        }
        SslClientAuthMode mode = tlsOptions.get(Options.SSL_CLIENT_AUTH_MODE);
        if (mode == SslClientAuthMode.REQUIRED) {
            engine.setNeedClientAuth(true);
        } else if (mode == SslClientAuthMode.REQUESTED) {
            engine.setWantClientAuth(true);
        }
        return connection;
    }

    /**
     * Receives one connection once its header is read and it is wrapped in TLS (Undertow's parser calls only
     * {@code handleEvent}); one per connection, to stop that connection's header deadline.
     */
    private final class AfterHeader implements OpenListener {
        private final XnioExecutor.Key deadline;

        AfterHeader(XnioExecutor.Key deadline) {
            this.deadline = deadline;
        }

        @Override
        public void handleEvent(StreamConnection connection) {
            deadline.remove();
            admit.accept(serverTls((SslConnection) connection));
        }

        @Override
        public HttpHandler getRootHandler() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRootHandler(HttpHandler rootHandler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OptionMap getUndertowOptions() {
            return OptionMap.EMPTY;
        }

        @Override
        public void setUndertowOptions(OptionMap undertowOptions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ByteBufferPool getBufferPool() {
            return buffers;
        }

        @Override
        public ConnectorStatistics getConnectorStatistics() {
            return null;
        }
    }
}
