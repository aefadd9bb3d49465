package io.portcullis.observe;

import java.util.function.IntSupplier;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gate's Prometheus metrics, all named {@code portcullis_*}. Each gate owns its registry (never the client's
 * global default registry), so several gates in one JVM, as in the tests, count separately.
 * Recording is lock-free (the client's counters are striped adders), so it is safe on IO threads.
 */
public final class GateMetrics implements ExchangeObserver, AuthEvents {
    /**
     * Methods a registry client sends; anything else is counted as "other" (the last label) so a client cannot add
     * label values.
     */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other");
    private static final int STATUS_CLASSES = 10;
    /** From a cached manifest HEAD (milliseconds) to a multi-gigabyte layer (many minutes). */
    private static final double[] DURATION_BUCKETS =
            {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter requests = Counter.builder().name("portcullis_requests")
            .help("Requests on the main listener by method and status class (2xx, 4xx, ...)")
            .labelNames("method", "status_class").withoutExemplars().register(registry);
    private final Counter bytesIn = Counter.builder().name("portcullis_request_body_bytes")
            .help("Request body bytes read from clients (uploads)").withoutExemplars().register(registry);
    private final Counter bytesOut = Counter.builder().name("portcullis_response_body_bytes")
            .help("Response body bytes sent to clients (downloads)").withoutExemplars().register(registry);
    private final Histogram duration = Histogram.builder().name("portcullis_request_duration_seconds")
            .help("Time from request arrival to the end of the response")
            .classicOnly().classicUpperBounds(DURATION_BUCKETS).withoutExemplars().register(registry);
    private final Gauge inFlight = Gauge.builder().name("portcullis_requests_in_flight")
            .help("Requests being handled now (a running layer upload counts for its whole length)")
            .withoutExemplars().register(registry);
    private final Counter auth = Counter.builder().name("portcullis_auth")
            .help("Basic auth outcomes: success, failure (wrong password or unknown user), challenge (no credentials sent), throttled (429 before any hashing)")
            .labelNames("outcome").withoutExemplars().register(registry);
    private final Counter authCache = Counter.builder().name("portcullis_auth_cache")
            .help("Credential cache lookups: hit (no bcrypt needed) or miss (bcrypt on a worker)")
            .labelNames("result").withoutExemplars().register(registry);
    /**
     * The request counter's series by method and status class, looked up once each: {@code labelValues} builds a
     * label list and hashes it on every call, and three such lookups per request (requests, auth outcome, cache
     * result) were 2.7% of the IO threads' samples under load (bench/small-probe --jfr). Filled on first
     * use, so only the series that occur are exported, as before.
     */
    private final AtomicReferenceArray<CounterDataPoint> requestSeries =
            new AtomicReferenceArray<>(METHODS.size() * STATUS_CLASSES);
    private final CounterDataPoint authSuccess;
    private final CounterDataPoint authFailure;
    private final CounterDataPoint authChallenge;
    private final CounterDataPoint authThrottled;
    private final CounterDataPoint cacheHits;
    private final CounterDataPoint cacheMisses;
    private final CounterDataPoint tokenOk;
    private final Counter tokenLogins = Counter.builder().name("portcullis_token_logins")
            .help("Token logins: ok, or why refused (unknown, wrong_secret, wrong_user, expired, revoked, owner_gone)")
            .labelNames("result").withoutExemplars().register(registry);
    private final Counter upstreamErrors = Counter.builder().name("portcullis_upstream_errors")
            .help("Responses the gate made itself because the registry could not be reached or did not answer in time")
            .labelNames("status").withoutExemplars().register(registry);

    /**
     * @param certificate the leaf certificate being served now (read at each scrape, so a hot swap shows)
     * @param ready       whether /readyz says ready
     * @param users       the users in service now (read at each scrape, so a reload shows)
     * @param userReloads how many times a changed htpasswd file was loaded successfully
     */
    public GateMetrics(Supplier<X509Certificate> certificate, BooleanSupplier ready, IntSupplier users,
                       LongSupplier userReloads) {
        GaugeWithCallback.builder().name("portcullis_certificate_expiry_timestamp_seconds")
                .help("notAfter of the served certificate, in seconds since the epoch")
                .callback(cb -> {
                    X509Certificate leaf = certificate.get();
                    if (leaf != null) {
                        cb.call(leaf.getNotAfter().getTime() / 1000.0);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("portcullis_ready")
                .help("1 when /readyz answers 200 (registry answering, certificate loaded), else 0")
                .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0))
                .register(registry);
        // present at 0 from the start, so rate() and alerts see the series
        authSuccess = auth.labelValues("success");
        authFailure = auth.labelValues("failure");
        authChallenge = auth.labelValues("challenge");
        authThrottled = auth.labelValues("throttled");
        cacheHits = authCache.labelValues("hit");
        tokenOk = tokenLogins.labelValues("ok");
        cacheMisses = authCache.labelValues("miss");
        GaugeWithCallback.builder().name("portcullis_htpasswd_users").help("Users in the htpasswd file in use")
                .callback(cb -> cb.call(users.getAsInt())).register(registry);
        CounterWithCallback.builder().name("portcullis_htpasswd_reloads")
                .help("Times a changed htpasswd file was loaded successfully")
                .callback(cb -> cb.call(userReloads.getAsLong())).register(registry);
    }

    @Override
    public void tokenLogin(String result) {
        // the ok series looked up once: a label lookup per request is measurable (see requestSeries)
        (result.equals("ok") ? tokenOk : tokenLogins.labelValues(result)).inc();
    }

    /**
     * {@code portcullis_tokens{status}}: tokens active, expired and revoked now (still kept in the store), counted at
     * each scrape by {@code count}, which is given a status name.
     */
    public void watchTokens(java.util.function.Supplier<java.util.Map<String, Long>> countByStatus) {
        GaugeWithCallback.builder().name("portcullis_tokens").help("Tokens in the store by status: active, expired, revoked")
                .labelNames("status")
                .callback(cb -> countByStatus.get().forEach((status, n) -> cb.call(n, status))).register(registry);
    }

    @Override
    public void started() {
        inFlight.inc();
    }

    @Override
    public void completed(ExchangeRecord r) {
        inFlight.dec();
        requestSeries(r.method(), r.status()).inc();
        bytesIn.inc(r.bytesIn());
        bytesOut.inc(r.bytesOut());
        duration.observe(r.durationNanos() / 1e9);
        if (r.upstreamFailed()) {
            upstreamErrors.labelValues(Integer.toString(r.status())).inc();
        }
    }

    private CounterDataPoint requestSeries(String method, int status) {
        int m = METHODS.indexOf(method);
        if (m < 0) {
            m = METHODS.size() - 1;
        }
        int statusClass = status / 100;
        if (statusClass < 0 || statusClass >= STATUS_CLASSES) {
            return requests.labelValues(METHODS.get(m), statusClass + "xx"); // not an HTTP status; never seen
        }
        int slot = m * STATUS_CLASSES + statusClass;
        CounterDataPoint series = requestSeries.get(slot);
        if (series == null) {
            series = requests.labelValues(METHODS.get(m), statusClass + "xx"); // the same series on every call
            requestSeries.set(slot, series);
        }
        return series;
    }

    @Override
    public void challenged() {
        authChallenge.inc();
    }

    @Override
    public void succeeded() {
        authSuccess.inc();
    }

    @Override
    public void failed() {
        authFailure.inc();
    }

    @Override
    public void throttled() {
        authThrottled.inc();
    }

    @Override
    public void cacheHit() {
        cacheHits.inc();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.inc();
    }

    /**
     * Client connections, counted by the listener that owns them and read at each scrape.
     *
     * @param refused refusals so far by reason: "total" (max-connections) or "address" (max-connections-per-address)
     */
    public void watchConnections(LongSupplier open, Function<String, Long> refused) {
        GaugeWithCallback.builder().name("portcullis_connections_open")
                .help("Client connections open now (TLS handshakes included)")
                .callback(cb -> cb.call(open.getAsLong())).register(registry);
        CounterWithCallback.builder().name("portcullis_connections_refused")
                .help("Client connections closed as soon as accepted: over max-connections (total) or max-connections-per-address (address)")
                .labelNames("limit")
                .callback(cb -> {
                    cb.call(refused.apply("total"), "total");
                    cb.call(refused.apply("address"), "address");
                }).register(registry);
    }

    /** Which engine serves TLS ({@code tls-engine}), as an info-style series: 1 with the engine and its library. */
    public void tlsEngine(String engine, String version) {
        io.prometheus.metrics.core.metrics.Info.builder().name("portcullis_tls_engine")
                .help("The engine serving TLS (boringssl or jsse) and its library version")
                .labelNames("engine", "version").register(registry)
                .setLabelValues(engine, version);
    }

    /** BoringSSL engines holding native memory (one per open client connection; 0 with JSSE). */
    public void watchNativeTlsEngines(LongSupplier open) {
        GaugeWithCallback.builder().name("portcullis_tls_native_engines")
                .help("BoringSSL engines holding native memory: one per open client connection, 0 with JSSE")
                .callback(cb -> cb.call(open.getAsLong())).register(registry);
    }

    /** Access log lines dropped because the log reader did not keep up (the requests themselves went on). */
    /** The maintenance switch as this gate applies it, and the writes it still lets through. */
    public void watchMaintenance(BooleanSupplier on, IntSupplier pendingWrites) {
        GaugeWithCallback.builder().name("portcullis_maintenance")
                .help("1 while maintenance mode is on (writes refused, pulls served), else 0")
                .callback(cb -> cb.call(on.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("portcullis_maintenance_pending_writes")
                .help("Writes in flight, plus uploads from before the switch still sending during its grace period")
                .callback(cb -> cb.call(pendingWrites.getAsInt())).register(registry);
    }

    public void watchAccessLogDropped(LongSupplier dropped) {
        CounterWithCallback.builder().name("portcullis_access_log_dropped")
                .help("Access log lines dropped because standard output did not keep up (requests are never held back)")
                .callback(cb -> cb.call(dropped.getAsLong())).register(registry);
    }

    /** This gate's registry, for parts that add metrics of their own (the audit trail). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition format's content type. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. CPU only: fine on an IO thread into a memory buffer. */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
