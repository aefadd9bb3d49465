package io.portcullis.server;

import io.portcullis.UserError;
import io.portcullis.auth.Authenticator;
import io.portcullis.config.Settings;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/** The running gate: an HTTPS listener in front of {@link HandlerChain}. Holds no static state. */
public final class Gate implements AutoCloseable {
    /**
     * Pooled direct buffers for bodies and TLS. 64 KiB holds several full TLS records, so each socket write
     * carries four 16 KiB records instead of two: on 2 vCPU a 1 GiB blob GET went from 408-573 MiB/s (32 KiB)
     * to 506-725 MiB/s at about the same CPU and peak RSS (bench/run, README "Performance").
     */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Undertow undertow;
    private final InetSocketAddress address;
    private final GracefulShutdownHandler inFlight;

    private Gate(Undertow undertow, InetSocketAddress address, GracefulShutdownHandler inFlight) {
        this.undertow = undertow;
        this.address = address;
        this.inFlight = inFlight;
    }

    public static Gate start(Settings settings, Authenticator authenticator, SSLContext tls,
                             List<String> protocols, String[] cipherSuites) {
        int readTimeout = (int) settings.readTimeout().toMillis();
        int writeTimeout = (int) settings.writeTimeout().toMillis();
        HandlerChain chain = HandlerChain.build(settings, authenticator);
        Undertow undertow = Undertow.builder()
                .addHttpsListener(settings.listen().port(), settings.listen().host(), tls)
                .setIoThreads(settings.effectiveIoThreads())
                .setWorkerThreads(settings.effectiveWorkerThreads())
                .setBufferSize(BUFFER_SIZE)
                .setDirectBuffers(true)
                // Undertow refuses bodies over 2 MiB by default since 2.3.21: layers have no size limit
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(protocols))
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(cipherSuites))
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.NOT_REQUESTED)
                .setSocketOption(Options.READ_TIMEOUT, readTimeout)
                .setSocketOption(Options.WRITE_TIMEOUT, writeTimeout)
                .setSocketOption(Options.TCP_NODELAY, true)
                .setHandler(chain.root())
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            if (causedBy(e, BindException.class)) {
                throw new UserError("cannot listen on " + settings.listen() + ": " + rootMessage(e)
                        + "; stop whatever holds that port or choose another with --listen");
            }
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new Gate(undertow, bound, chain.inFlight());
    }

    /**
     * Lets requests in flight (a long layer upload) finish for up to {@code timeout}, then stops. New requests
     * meanwhile get a 503 {@code UNAVAILABLE}, so clients retry elsewhere. (Undertow's listener suspend would
     * also close every open connection, cutting the very uploads a drain is for.)
     *
     * @return true when every request in flight finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        inFlight.shutdown();
        boolean drained = inFlight.awaitShutdown(timeout.toMillis());
        undertow.stop();
        return drained;
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
