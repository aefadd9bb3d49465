package io.portcullis.server;

import io.portcullis.tls.ServerTls;
import io.portcullis.base.KeyedLimit;
import io.portcullis.base.UserError;
import io.portcullis.audit.AuditTrail;
import io.portcullis.auth.Authenticator;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.RequestSanityHandler;
import io.portcullis.maintenance.MaintenanceStores;
import io.portcullis.maintenance.MaintenanceSwitch;
import io.portcullis.observe.AsyncLineWriter;
import io.portcullis.observe.GateMetrics;
import io.portcullis.observe.Readiness;
import io.portcullis.shared.RedisStore;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running gate: an HTTPS listener in front of {@link HandlerChain}, its readiness probe, its metrics and the
 * optional admin listener. Holds no static state.
 */
public final class Gate implements AutoCloseable {
    /**
     * Pooled direct buffers for bodies and TLS. 64 KiB holds several full TLS records, so each socket write
     * carries four 16 KiB records instead of two: on 2 vCPU a 1 GiB blob GET went from 408-573 MiB/s (32 KiB)
     * to 506-725 MiB/s at about the same CPU and peak RSS (bench/run, bench/README.md).
     */
    static final int BUFFER_SIZE = 64 * 1024;

    /**
     * Hard limit on request line plus headers (Undertow's default is 1 MiB; registry requests need a few KiB). Above
     * it Undertow answers a bare "400 Bad Request" and closes; RequestSanityHandler answers 431 from half of it.
     */
    static final int MAX_HEADER_SIZE = 2 * RequestSanityHandler.MAX_HEADER_BYTES;

    private final InetSocketAddress address;
    private final Optional<InetSocketAddress> httpAddress;
    private final InFlightRequests inFlight;
    private final GateMetrics metrics;
    private final Readiness readiness;
    private final Optional<AdminListener> admin;
    private final Optional<AuditTrail> audit;
    private final MaintenanceSwitch maintenance;
    private final Teardown teardown;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gate(ClientListener https, Optional<InetSocketAddress> httpAddress, InFlightRequests inFlight,
                 GateMetrics metrics, Readiness readiness, Optional<AdminListener> admin, Optional<AuditTrail> audit,
                 MaintenanceSwitch maintenance, Teardown teardown) {
        this.address = https.address();
        this.httpAddress = httpAddress;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.readiness = readiness;
        this.admin = admin;
        this.audit = audit;
        this.maintenance = maintenance;
        this.teardown = teardown;
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

    /** Starts a gate with {@code services}; on failure everything it opened is closed again. */
    public static Gate start(Settings settings, GateServices services) {
        Teardown teardown = new Teardown();
        try {
            return start(settings, services, teardown);
        } catch (RuntimeException e) {
            teardown.close();
            throw e;
        }
    }

    private static Gate start(Settings settings, GateServices services, Teardown teardown) {
        ServerTls tls = services.tls();
        Authenticator authenticator = services.authenticator();
        Optional<RedisStore> redis = services.redis();
        Readiness readiness = new Readiness(settings.upstream().url(), tls::leaf);
        redis.ifPresent(r -> readiness.sharedStore(r::status));
        GateMetrics metrics = new GateMetrics(tls::leaf, readiness::isReady, authenticator::userCount,
                authenticator::replacements);
        metrics.tlsEngine(tls.engine().name(), tls.engine().version());
        metrics.watchNativeTlsEngines(tls::nativeEnginesOpen);
        // closed after the listeners: its report says "pending" until nothing can write
        MaintenanceSwitch maintenance = teardown.opened("maintenance switch",
                MaintenanceSwitch.start(MaintenanceStores.open(settings, redis), settings.maintenance().grace()));
        readiness.watchMaintenance(maintenance::describe);
        metrics.watchMaintenance(maintenance::isOn, maintenance::pending);
        Optional<AuditTrail> audit = AuditTrail.start(settings.audit(), metrics.registry());
        audit.ifPresent(trail -> teardown.opened("audit trail", trail));
        services.tokens().ifPresent(store -> metrics.watchTokens(() -> TokenCounts.byStatus(store)));
        // opened before the chain is built, so a step that fails to build (a missing SSO secret) leaves no writer behind;
        // closed after the listeners, so the lines of the last requests are written before the process exits
        AsyncLineWriter accessLog = teardown.opened("access log", new AsyncLineWriter(System.out));
        metrics.watchAccessLogDropped(accessLog::dropped);
        HandlerChain chain = HandlerChain.build(settings, services, metrics, readiness, maintenance, audit, accessLog);
        // the redirect names the bound HTTPS port, known only after start (listen port 0 in tests)
        AtomicInteger httpsPort = new AtomicInteger(settings.listen().https().port());
        ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
        Undertow undertow = ListenerOptions.undertow(settings, buffers, httpsPort::get);
        // refused connections are closed before their handshake: one accept, no buffer
        KeyedLimit limits = new KeyedLimit(settings.connections().maxPerAddress(), settings.connections().max());
        metrics.watchConnections(limits::held, reason -> limits.refused(reason.equals("total")
                ? KeyedLimit.Verdict.OVER_TOTAL : KeyedLimit.Verdict.OVER_KEY));
        ClientListener https;
        try {
            teardown.opened("worker", undertow, undertow::stop);
            undertow.start();
            https = teardown.opened("HTTPS listener", ClientListener.open(undertow.getWorker(),
                    new InetSocketAddress(settings.listen().https().host(), settings.listen().https().port()), tls.context(),
                    ListenerOptions.socket(settings, tls),
                    ListenerOptions.server(), buffers, chain.root(), limits, new ClientListener.Timeouts(
                            settings.connections().tlsHandshakeTimeout(), settings.connections().headerTimeout(), settings.connections().keepaliveTimeout()),
                    settings.shared().proxyProtocolFrom()));
        } catch (IOException | RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                String which = settings.listen().http().map(h -> settings.listen().https() + " or " + h).orElse(settings.listen().https().toString());
                throw new UserError("cannot listen on " + which + ": " + rootMessage(e)
                        + "; stop whatever holds that port or choose another with --listen"
                        + (settings.listen().http().isPresent() ? " / --http-listen" : ""));
            }
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
        Optional<AdminListener> admin = settings.listen().admin().map(address ->
                teardown.opened("admin listener", AdminListener.start(address, readiness, metrics)));
        readiness.start();
        teardown.opened("readiness probe", readiness);
        httpsPort.set(https.address().getPort());
        return new Gate(https, listener(undertow, "http"), chain.inFlight(), metrics, readiness, admin, audit, maintenance,
                teardown);
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
        return admin.map(AdminListener::address);
    }

    /** What /metrics serves on the admin listener. */
    public GateMetrics metrics() {
        return metrics;
    }

    /** The audit trail, when one is configured (its log is reopened on SIGHUP). */
    public Optional<AuditTrail> audit() {
        return audit;
    }

    /** The maintenance switch as this gate applies it. */
    public MaintenanceSwitch maintenance() {
        return maintenance;
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
        if (closed.compareAndSet(false, true)) {
            teardown.close();
        }
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
