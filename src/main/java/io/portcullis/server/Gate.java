package io.portcullis.server;

import io.portcullis.tls.ServerTls;
import io.portcullis.base.KeyedLimit;
import io.portcullis.base.UserError;
import io.portcullis.access.AccessPolicy;
import io.portcullis.audit.AuditTrail;
import io.portcullis.auth.Authenticator;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.HttpsRedirectHandler;
import io.portcullis.frontdoor.RequestSanityHandler;
import io.portcullis.observe.AsyncLineWriter;
import io.portcullis.observe.GateMetrics;
import io.portcullis.observe.Readiness;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.portcullis.token.TokenStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/**
 * The running gate: an HTTPS listener in front of {@link HandlerChain}, its readiness probe, its metrics and the
 * optional admin listener. Holds no static state.
 */
public final class Gate implements AutoCloseable {
    /**
     * Pooled direct buffers for bodies and TLS. 64 KiB holds several full TLS records, so each socket write
     * carries four 16 KiB records instead of two: on 2 vCPU a 1 GiB blob GET went from 408-573 MiB/s (32 KiB)
     * to 506-725 MiB/s at about the same CPU and peak RSS (bench/run, README "Performance").
     */
    static final int BUFFER_SIZE = 64 * 1024;

    /**
     * Hard limit on request line plus headers (Undertow's default is 1 MiB; registry requests need a few KiB). Above
     * it Undertow answers a bare "400 Bad Request" and closes; RequestSanityHandler answers 431 from half of it.
     */
    static final int MAX_HEADER_SIZE = 2 * RequestSanityHandler.MAX_HEADER_BYTES;

    private final Undertow undertow;
    private final ClientListener https;
    private final InetSocketAddress address;
    private final Optional<InetSocketAddress> httpAddress;
    private final GracefulShutdownHandler inFlight;
    private final AsyncLineWriter accessLog;
    private final GateMetrics metrics;
    private final Readiness readiness;
    private final AdminListener admin;
    private final Optional<AuditTrail> audit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gate(Undertow undertow, ClientListener https, Optional<InetSocketAddress> httpAddress,
                 HandlerChain chain, GateMetrics metrics, Readiness readiness, AdminListener admin, Optional<AuditTrail> audit) {
        this.undertow = undertow;
        this.https = https;
        this.address = https.address();
        this.httpAddress = httpAddress;
        this.inFlight = chain.inFlight();
        this.accessLog = chain.accessLog();
        this.metrics = metrics;
        this.readiness = readiness;
        this.admin = admin;
        this.audit = audit;
    }

    /**
     * Builds, on a daemon thread, the JVM's platform MBean server, which XNIO creates to register its MBeans when
     * Undertow starts: ~75 ms of the start path (all the platform MXBeans, some 150 classes; XNIO 3.8 has no switch
     * to skip it). Called first thing in {@code serve}, it overlaps the settings, logging and TLS set-up on the
     * second core; XNIO's own call waits for it if it is not done (the factory method is synchronized).
     */
    public static void prepareInBackground() {
        Thread t = new Thread(ManagementFactory::getPlatformMBeanServer, "portcullis-prepare");
        t.setDaemon(true);
        t.start();
    }

    /**
     * @param access the access rules in force (swappable; {@link AccessPolicy#none()} without a rules file)
     * @param tls    the server's TLS: its protocols and suites are used, and the certificate it serves now is read
     *               from it (readiness and the expiry metric), so a hot swap shows without telling the gate
     */
    public static Gate start(Settings settings, Authenticator authenticator, AccessPolicy access, ServerTls tls) {
        return start(settings, authenticator, access, tls, Optional.empty());
    }

    /** @param tokens the token store, when tokens are accepted as passwords */
    public static Gate start(Settings settings, Authenticator authenticator, AccessPolicy access, ServerTls tls,
                             Optional<TokenStore> tokens) {
        Readiness readiness = new Readiness(settings.upstream().url(), tls::leaf);
        GateMetrics metrics = new GateMetrics(tls::leaf, readiness::isReady, authenticator::userCount,
                authenticator::replacements);
        metrics.tlsEngine(tls.engine().name(), tls.engine().version());
        metrics.watchNativeTlsEngines(tls::nativeEnginesOpen);
        Optional<AuditTrail> audit = AuditTrail.start(settings.audit(), metrics.registry());
        tokens.ifPresent(store -> metrics.watchTokens(() -> TokenCounts.byStatus(store)));
        HandlerChain chain = HandlerChain.build(settings, authenticator, access, metrics, readiness, audit, tokens);
        // the redirect names the bound HTTPS port, known only after start (listen port 0 in tests)
        AtomicInteger httpsPort = new AtomicInteger(settings.listen().https().port());
        ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
        OptionMap serverOptions = OptionMap.builder()
                // Undertow refuses bodies over 2 MiB by default since 2.3.21: layers have no size limit
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.ENABLE_HTTP2, false)
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                .getMap();
        OptionMap socketOptions = OptionMap.builder()
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
        // Undertow runs the worker and the plain-HTTP redirect; the HTTPS listener is ours (ClientListener)
        Undertow.Builder builder = Undertow.builder();
        settings.listen().http().ifPresent(http ->
                builder.addHttpListener(http.port(), http.host(), new HttpsRedirectHandler(httpsPort::get)));
        Undertow undertow = builder
                .setIoThreads(settings.threads().effectiveIo())
                .setWorkerThreads(settings.threads().effectiveWorker())
                .setByteBufferPool(buffers)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.connections().headerTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) settings.connections().keepaliveTimeout().toMillis())
                .setSocketOption(Options.TCP_NODELAY, true)
                .build();
        // refused connections are closed before their handshake: one accept, no buffer
        KeyedLimit limits = new KeyedLimit(settings.connections().maxPerAddress(), settings.connections().max());
        metrics.watchConnections(limits::held, reason -> limits.refused(reason.equals("total")
                ? KeyedLimit.Verdict.OVER_TOTAL : KeyedLimit.Verdict.OVER_KEY));
        ClientListener https;
        try {
            undertow.start();
            https = ClientListener.open(undertow.getWorker(),
                    new InetSocketAddress(settings.listen().https().host(), settings.listen().https().port()), tls.context(), socketOptions,
                    serverOptions, buffers, chain.root(), limits, new ClientListener.Timeouts(
                            settings.connections().tlsHandshakeTimeout(), settings.connections().headerTimeout(), settings.connections().keepaliveTimeout()));
        } catch (IOException | RuntimeException e) {
            undertow.stop();
            chain.accessLog().close();
            audit.ifPresent(AuditTrail::close);
            if (causedBy(e, BindException.class)) {
                String which = settings.listen().http().map(h -> settings.listen().https() + " or " + h).orElse(settings.listen().https().toString());
                throw new UserError("cannot listen on " + which + ": " + rootMessage(e)
                        + "; stop whatever holds that port or choose another with --listen"
                        + (settings.listen().http().isPresent() ? " / --http-listen" : ""));
            }
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
        AdminListener admin = null;
        if (settings.listen().admin().isPresent()) {
            try {
                admin = AdminListener.start(settings.listen().admin().get(), readiness, metrics);
            } catch (RuntimeException e) {
                https.close();
                undertow.stop();
                audit.ifPresent(AuditTrail::close);
                throw e;
            }
        }
        readiness.start();
        InetSocketAddress bound = https.address();
        httpsPort.set(bound.getPort());
        return new Gate(undertow, https, listener(undertow, "http"), chain, metrics, readiness, admin, audit);
    }

    /**
     * Lets requests in flight (a long layer upload) finish for up to {@code timeout}, then stops. New requests
     * meanwhile get a 503 {@code UNAVAILABLE}, so clients retry elsewhere, and /readyz says not ready.
     * (Undertow's listener suspend would also close every open connection, cutting the very uploads a drain is for.)
     *
     * @return true when every request in flight finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        readiness.draining();
        inFlight.shutdown();
        long start = System.nanoTime();
        boolean drained = inFlight.awaitShutdown(timeout.toMillis());
        // the audit events of the requests that just finished go out within what is left of the timeout
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        if (audit.isPresent()) {
            audit.get().flush(left.isNegative() ? Duration.ZERO : left);
        }
        close();
        return drained;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Where the admin listener (/livez, /readyz, /metrics over plain HTTP) is bound, when --admin-listen is set. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminListener::address);
    }

    /** What /metrics serves on the admin listener. */
    public GateMetrics metrics() {
        return metrics;
    }

    /** The audit trail, when one is configured (its log is reopened on SIGHUP). */
    public Optional<AuditTrail> audit() {
        return audit;
    }

    /** Where the plain-HTTP redirect listener runs, when {@code --http-listen} is set. */
    public Optional<InetSocketAddress> httpAddress() {
        return httpAddress;
    }

    private static Optional<InetSocketAddress> listener(Undertow undertow, String protocol) {
        return undertow.getListenerInfo().stream().filter(l -> l.getProtcol().equals(protocol))
                .map(l -> (InetSocketAddress) l.getAddress()).findFirst();
    }

    @Override
    public void close() {
        // a drain closes, and so does whoever owns the gate afterwards: closing XNIO's server channel once its
        // worker has stopped would wait for that worker forever
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readiness.close();
        if (admin != null) {
            admin.close();
        }
        https.close();
        undertow.stop();
        accessLog.close(); // the lines of the last requests, written before the process exits
        audit.ifPresent(AuditTrail::close);
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
