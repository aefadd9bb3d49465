package io.portcullis.server;

import io.portcullis.base.ClientAddress;
import io.portcullis.base.KeyedLimit;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

/**
 * The HTTPS listener, opened on Undertow's worker the way {@code Undertow.start()} would, plus what Undertow's
 * builder has no hook for: the connection caps (total and per {@link ClientAddress}), checked as each connection is accepted,
 * and a TLS handshake deadline. Undertow itself then applies the request-head timeout (REQUEST_PARSE_TIMEOUT:
 * counted from the first byte of a head, not reset by more bytes) and the keep-alive timeout (NO_REQUEST_TIMEOUT:
 * a connection waiting for its next request, or its first after the handshake).
 *
 * <p>A second handshake on one connection is a client-initiated renegotiation (TLS 1.2; 1.3 has none): JSSE
 * refuses it when {@code jdk.tls.rejectClientInitiatedRenegotiation} was set before TLS was first used
 * (Main does); should that have come too late in an embedding JVM, the connection is closed here instead.
 */
final class ClientListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientListener.class);

    private final AcceptingChannel<? extends StreamConnection> server;

    private ClientListener(AcceptingChannel<? extends StreamConnection> server) {
        this.server = server;
    }

    record Timeouts(Duration handshake, Duration header, Duration keepAlive) {
    }

    static ClientListener open(XnioWorker worker, InetSocketAddress address, SSLContext tls, OptionMap socketOptions,
                               OptionMap undertowOptions, ByteBufferPool buffers, HttpHandler root,
                               KeyedLimit limits, Timeouts timeouts) throws IOException {
        return open(worker, address, tls, socketOptions, undertowOptions, buffers, root, limits, timeouts, java.util.List.of());
    }

    /**
     * @param proxyProtocolFrom load balancers whose connections start with a PROXY protocol header; when empty the
     *                          listener is XNIO's TLS server as before, otherwise plain TCP that {@link ProxiedAccept}
     *                          wraps in TLS after the header (or at once for everyone else)
     */
    static ClientListener open(XnioWorker worker, InetSocketAddress address, SSLContext tls, OptionMap socketOptions,
                               OptionMap undertowOptions, ByteBufferPool buffers, HttpHandler root,
                               KeyedLimit limits, Timeouts timeouts, java.util.List<io.portcullis.base.Cidr> proxyProtocolFrom)
            throws IOException {
        OptionMap httpOptions = OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .addAll(undertowOptions)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) timeouts.header().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) timeouts.keepAlive().toMillis())
                .getMap();
        HttpOpenListener http = new HttpOpenListener(buffers, httpOptions);
        http.setRootHandler(root);
        OptionMap serverSocket = OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000)
                .addAll(socketOptions)
                .getMap();
        UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.create(Options.USE_DIRECT_BUFFERS, true), tls);
        long handshakeMillis = timeouts.handshake().toMillis();
        ChannelListener<AcceptingChannel<StreamConnection>> accept = channel -> {
            StreamConnection connection;
            try {
                connection = channel.accept();
            } catch (IOException e) {
                LOG.debug("accept failed", e);
                return;
            }
            if (connection != null) {
                admit(connection, limits, handshakeMillis, http);
            }
        };
        if (!proxyProtocolFrom.isEmpty()) {
            ProxiedAccept proxied = new ProxiedAccept(proxyProtocolFrom, ssl, socketOptions, buffers, handshakeMillis,
                    connection -> admit(connection, limits, handshakeMillis, http));
            AcceptingChannel<StreamConnection> plain = worker.createStreamConnectionServer(address, proxied, serverSocket);
            plain.resumeAccepts();
            return new ClientListener(plain);
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        AcceptingChannel<? extends StreamConnection> server =
                ssl.createSslConnectionServer(worker, address, (ChannelListener) accept, serverSocket);
        server.resumeAccepts();
        return new ClientListener(server);
    }

    private static void admit(StreamConnection connection, KeyedLimit limits, long handshakeMillis,
                              HttpOpenListener http) {
        InetAddress client = ((InetSocketAddress) connection.getPeerAddress()).getAddress();
        String address = ClientAddress.key(client);
        KeyedLimit.Verdict verdict = limits.acquire(address);
        if (verdict != KeyedLimit.Verdict.ADMITTED) {
            LOG.debug("refused a connection from {}: {}", client.getHostAddress(), verdict);
            IoUtils.safeClose(connection);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                limits.release(address);
            }
        };
        XnioExecutor.Key deadline = closeAfter(connection, handshakeMillis, "no TLS handshake");
        if (deadline == null) {
            limits.release(address);
            return;
        }
        AtomicInteger handshakes = new AtomicInteger();
        ((SslConnection) connection).getHandshakeSetter().set(c -> {
            deadline.remove();
            if (handshakes.incrementAndGet() > 1) {
                LOG.debug("closing a connection from {}: TLS renegotiation", client.getHostAddress());
                IoUtils.safeClose(c);
            }
        });
        http.handleEvent(connection);
        // Undertow's server connection took the close listener slot: chain ours in front of it
        ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
        connection.setCloseListener(c -> {
            deadline.remove();
            release.run();
            ChannelListeners.invokeChannelListener(c, undertows);
        });
        if (!connection.isOpen()) {
            release.run();
        }
    }

    /**
     * Closes the connection unless the returned key is removed within {@code millis}.
     *
     * @return null, with the connection closed, when the worker is shutting down (it would not be served anyway)
     */
    static XnioExecutor.Key closeAfter(StreamConnection connection, long millis, String what) {
        try {
            return connection.getIoThread().executeAfter(() -> {
                LOG.debug("closing a connection from {}: {} within {} ms", connection.getPeerAddress(), what, millis);
                IoUtils.safeClose(connection);
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            IoUtils.safeClose(connection);
            return null;
        }
    }

    InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    @Override
    public void close() {
        IoUtils.safeClose(server);
    }
}
