package io.portcullis.testing;

import io.portcullis.tls.ServerTls;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/**
 * A TLS listener configured like the gate's (Undertow's listener over {@link ServerTls#context()} with the gate's
 * protocols and suites, so it runs on either engine) that answers every request with one fixed HTTP response, so
 * curl and openssl s_client have something real to talk to.
 */
public final class OneShotHttpsServer implements AutoCloseable {
    public static final String BODY = "portcullis-test-ok";

    private final Undertow server;

    public OneShotHttpsServer(ServerTls tls) throws IOException {
        server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(ServerTls.PROTOCOLS))
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(ServerTls.cipherSuites(tls.context())))
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.NOT_REQUESTED)
                .addHttpsListener(0, "127.0.0.1", tls.context())
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.setPersistent(false);
                    exchange.getResponseSender().send(BODY);
                })
                .build();
        server.start();
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
