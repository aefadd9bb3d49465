package io.portcullis.observe;

import io.portcullis.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the gate can serve: the registry answers {@code GET /v2/} with 200 or 401, and a certificate is loaded.
 *
 * <p>The registry is probed by one background thread every {@link #INTERVAL} and the result is cached, rather
 * than probed per /readyz request: /readyz is then answered on the IO thread from memory (nothing blocks, no
 * dispatch), any number of probers (kubelet, Docker, load balancers) cost the registry one request per interval,
 * and a slow registry cannot pile up waiting /readyz requests. The price is an answer up to one interval old.
 * The probe's connect and read timeouts are bounded, so a hung registry turns into "not ready" within seconds.
 */
public final class Readiness implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    public static final String USER_AGENT = "portcullis-readiness";

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final URI probe;
    private final Supplier<X509Certificate> certificate;
    private final ScheduledExecutorService prober;
    private volatile UpstreamState upstream = new UpstreamState(false, "not probed yet");
    private volatile boolean draining;
    private volatile Supplier<String> sharedStore;
    private volatile Supplier<String> maintenance = () -> "off";
    /** Touched by the prober thread only. */
    private boolean probed;

    /** What the last probe of the registry found. */
    private record UpstreamState(boolean ok, String detail) {
    }

    /** One answer for /readyz. The text names no host, address or secret: /readyz needs no credentials. */
    public record State(boolean ready, String json) {
    }

    /**
     * @param upstream    the registry base URL (scheme, host, port)
     * @param certificate the leaf certificate being served, null when none is loaded
     */
    public Readiness(URI upstream, Supplier<X509Certificate> certificate) {
        this.probe = upstream.resolve("/v2/");
        this.certificate = certificate;
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-readiness");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts probing now and every {@link #INTERVAL}; the first answer comes within {@link #PROBE_TIMEOUT}. */
    public void start() {
        // fixed delay: a probe that takes its full timeout never overlaps the next one
        prober.scheduleWithFixedDelay(this::probeOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where /readyz reads the maintenance mode it shows ("off", "on since …"); pulls work either way. */
    public void watchMaintenance(Supplier<String> mode) {
        this.maintenance = mode;
    }

    /** From now on not ready: a load balancer should stop sending new requests while the gate drains. */
    public void draining() {
        draining = true;
    }

    /**
     * Adds the shared store's state ("redis") to every answer. It does not decide readiness: a gate whose Redis is
     * down still serves every valid user, throttling with its own counts, so taking it out of the load balancer
     * would turn a degraded site into a dead one (docs/several-gates.md).
     */
    public void sharedStore(Supplier<String> status) {
        this.sharedStore = status;
    }

    public State current() {
        UpstreamState u = upstream;
        boolean certificateLoaded = certificate.get() != null;
        boolean ready = u.ok() && certificateLoaded && !draining;
        StringBuilder json = new StringBuilder("{\"status\":").append(Json.quote(ready ? "ready" : "not ready"));
        if (!ready) {
            json.append(",\"reason\":").append(Json.quote(draining ? "the gate is shutting down"
                    : !certificateLoaded ? "no certificate is loaded"
                    : "the registry did not answer GET /v2/ with 200 or 401"));
        }
        json.append(",\"upstream\":").append(Json.quote(u.detail()))
                .append(",\"certificate\":").append(Json.quote(certificateLoaded ? "loaded" : "missing"))
                .append(",\"maintenance\":").append(Json.quote(maintenance.get()));
        Supplier<String> shared = sharedStore;
        if (shared != null) {
            json.append(",\"redis\":").append(Json.quote(shared.get()));
        }
        json.append('}');
        return new State(ready, json.toString());
    }

    public boolean isReady() {
        return current().ready();
    }

    private void probeOnce() {
        UpstreamState next = check();
        if (!probed || next.ok() != upstream.ok()) {
            if (next.ok()) {
                LOG.info("Ready: the registry at {} {}", probe, next.detail());
            } else {
                LOG.warn("Not ready: the registry at {}: {}", probe, next.detail());
            }
        }
        upstream = next;
        probed = true;
    }

    /**
     * One blocking GET, on the prober thread only. HttpURLConnection rather than java.net.http: it needs no
     * selector and executor threads of its own, so a gate's probe costs exactly this one thread.
     */
    private UpstreamState check() {
        HttpURLConnection c = null;
        try {
            // NO_PROXY: the registry is reached directly, like the gate's own proxy does
            c = (HttpURLConnection) probe.toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout((int) PROBE_TIMEOUT.toMillis());
            c.setReadTimeout((int) PROBE_TIMEOUT.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            // lets registry logs (and tests) tell the probe from forwarded client requests
            c.setRequestProperty("User-Agent", USER_AGENT);
            int status = c.getResponseCode();
            drain(status < 400 ? c.getInputStream() : c.getErrorStream());
            boolean ok = status == 200 || status == 401;
            return new UpstreamState(ok, "answered " + status);
        } catch (SocketTimeoutException e) {
            return new UpstreamState(false, "no answer within " + PROBE_TIMEOUT.toSeconds() + "s");
        } catch (IOException | RuntimeException e) {
            // the class name only: messages carry host names and addresses, which /readyz must not show
            return new UpstreamState(false, "unreachable (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        if (in != null) {
            try (in) {
                in.readNBytes(64 * 1024);
            }
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
