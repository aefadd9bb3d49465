package io.portcullis.server;

import io.portcullis.config.Settings;
import io.portcullis.frontdoor.HttpsRedirectHandler;
import io.portcullis.tls.ServerTls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import java.util.function.IntSupplier;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/** The XNIO and Undertow options of the gate's listeners, worked out once from the settings at start. */
final class ListenerOptions {
    private ListenerOptions() {
    }

    /** HTTP/1.1 options of the HTTPS listener's connections. */
    static OptionMap server() {
        return OptionMap.builder()
                // Undertow refuses bodies over 2 MiB by default since 2.3.21: layers have no size limit
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.ENABLE_HTTP2, false)
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.MAX_HEADER_SIZE, Gate.MAX_HEADER_SIZE)
                .getMap();
    }

    /** TLS and socket options of the HTTPS listener. */
    static OptionMap socket(Settings settings, ServerTls tls) {
        return OptionMap.builder()
                .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(ServerTls.PROTOCOLS))
                .set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(ServerTls.cipherSuites(tls.context())))
                // --client-ca: the context's trust manager checks the chain; REQUIRED fails handshakes without one
                .set(Options.SSL_CLIENT_AUTH_MODE,
                        settings.tls().clientCa().isPresent() ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED)
                // 900 s by default: the longest silence of a body in flight, set once per connection
                .set(Options.READ_TIMEOUT, (int) settings.connections().readTimeout().toMillis())
                .set(Options.WRITE_TIMEOUT, (int) settings.connections().writeTimeout().toMillis())
                .set(Options.TCP_NODELAY, true)
                .getMap();
    }

    /**
     * Undertow runs the worker and the plain-HTTP redirect; the HTTPS listener is the gate's own
     * ({@link ClientListener}). {@code httpsPort} is read per redirect: the bound port is known only after start.
     */
    static Undertow undertow(Settings settings, ByteBufferPool buffers, IntSupplier httpsPort) {
        Undertow.Builder builder = Undertow.builder();
        settings.listen().http().ifPresent(http ->
                builder.addHttpListener(http.port(), http.host(), new HttpsRedirectHandler(httpsPort)));
        return builder
                .setIoThreads(settings.threads().effectiveIo())
                .setWorkerThreads(settings.threads().effectiveWorker())
                .setByteBufferPool(buffers)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, Gate.MAX_HEADER_SIZE)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.connections().headerTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) settings.connections().keepaliveTimeout().toMillis())
                .setSocketOption(Options.TCP_NODELAY, true)
                .build();
    }
}
