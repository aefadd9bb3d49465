package io.portcullis.maintenance;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gate's side of the maintenance switch: the mode it applies (read from the {@link MaintenanceStore} on every
 * {@link #HEARTBEAT}, and at once when told the store changed), the writes it lets through, and its report to the
 * store, so {@code maintenance on --wait} knows when this gate lets no write through any more.
 *
 * <p>A write is counted before the mode is read, and the report reads the count after the mode was applied (both
 * sequentially consistent): a write either sees the new mode and is refused, or is counted in the report that
 * first names the new generation. So "every gate reports the generation with 0 pending" means nothing writes.
 *
 * <p>Uploads started before the switch may go on for the grace period. They count as pending while they send
 * (a request within {@link #ABANDONED_AFTER}); once this gate has nothing pending, the grace ends for good, so an
 * upload that comes back while the garbage collector runs is refused rather than written under it.
 */
public final class MaintenanceSwitch implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofMillis(500);
    /** An upload silent this long is treated as abandoned by its client (docker sends PUT milliseconds after PATCH). */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceSwitch.class);

    private final MaintenanceStore store;
    private final Duration grace;
    private final Duration abandonedAfter;
    private final String gate;
    private final AtomicInteger writes = new AtomicInteger();
    private final UploadSessions uploads = new UploadSessions();
    private final ScheduledExecutorService ticker;
    private volatile MaintenanceMode mode;
    /** When this gate applied the current "on": the grace period runs from here. */
    private volatile long onSinceNanos;
    private volatile boolean graceOver;
    private boolean warnedUnreadable;

    private MaintenanceSwitch(MaintenanceStore store, Duration grace, Duration abandonedAfter, MaintenanceMode initial) {
        this.store = store;
        this.grace = grace;
        this.abandonedAfter = abandonedAfter;
        this.gate = gateName();
        this.mode = initial;
        this.onSinceNanos = System.nanoTime();
        // a gate started during maintenance has no uploads of its own from before: no grace to give
        this.graceOver = initial.on();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-maintenance");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the mode (a file that does not parse is a {@link UserError} at start) and reports every heartbeat.
     */
    public static MaintenanceSwitch start(MaintenanceStore store, Duration grace) {
        return start(store, grace, ABANDONED_AFTER);
    }

    static MaintenanceSwitch start(MaintenanceStore store, Duration grace, Duration abandonedAfter) {
        MaintenanceSwitch s = new MaintenanceSwitch(store, grace, abandonedAfter, store.mode());
        if (s.mode.on()) {
            LOG.warn("Maintenance mode is on (since {}): writes are refused until 'portcullis maintenance off'",
                    s.mode.since().map(Instant::toString).orElse("?"));
        }
        s.ticker.scheduleWithFixedDelay(s::refresh, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** Reads the store, applies a new mode and reports; a store that cannot be read keeps the mode in force. */
    public synchronized void refresh() {
        try {
            MaintenanceMode stored = store.mode();
            warnedUnreadable = false;
            if (stored.generation() != mode.generation() || stored.on() != mode.on()) {
                apply(stored);
            }
        } catch (RuntimeException e) {
            if (!warnedUnreadable) {
                LOG.warn("Cannot read the maintenance switch, keeping maintenance {}: {}", mode.on() ? "on" : "off", e.getMessage());
                warnedUnreadable = true;
            }
        }
        try {
            store.report(new GateReport(gate, mode.generation(), pending(), Instant.now()));
        } catch (RuntimeException e) {
            LOG.debug("maintenance report not written", e);
        }
    }

    private void apply(MaintenanceMode next) {
        if (next.on()) {
            onSinceNanos = System.nanoTime();
            graceOver = false;
            LOG.warn("Maintenance mode on: writes are refused; uploads already running may finish within {}", grace);
        } else {
            LOG.info("Maintenance mode off: writes are accepted again");
        }
        mode = next;
    }

    /** What this gate applies now. */
    public MaintenanceMode mode() {
        return mode;
    }

    public boolean isOn() {
        return mode.on();
    }

    /**
     * Counts a write about to be forwarded, if the mode lets it through; then {@link #done()} must follow.
     *
     * @param uploadId the upload a PATCH, PUT or DELETE of an upload continues, else null
     * @return false when refused (nothing counted)
     */
    public boolean admit(String uploadId) {
        writes.incrementAndGet();
        MaintenanceMode m = mode;
        if (!m.on() || (uploadId != null && inGrace(uploadId, m))) {
            if (uploadId != null) {
                uploads.touched(uploadId);
            }
            return true;
        }
        writes.decrementAndGet();
        return false;
    }

    /** A write admitted by {@link #admit} is over. */
    public void done() {
        writes.decrementAndGet();
    }

    /** The registry accepted an upload start: it may continue under the grace period if the switch comes now. */
    public void uploadStarted(String uploadId) {
        uploads.started(uploadId, mode.generation());
    }

    /** A request of the upload just ended: it counts as sending for {@link #ABANDONED_AFTER} from now. */
    public void uploadTouched(String uploadId) {
        uploads.touched(uploadId);
    }

    public void uploadFinished(String uploadId) {
        uploads.finished(uploadId);
    }

    private boolean inGrace(String uploadId, MaintenanceMode m) {
        return !graceOver && System.nanoTime() - onSinceNanos < grace.toNanos() && uploads.startedBefore(uploadId, m.generation());
    }

    /** "off", or "on since …", for /readyz and the web catalog. */
    public String describe() {
        MaintenanceMode m = mode;
        return m.on() ? "on since " + m.since().map(Instant::toString).orElse("?") : "off";
    }

    /** Writes in flight and, while the grace lasts, uploads from before the switch that are still sending. */
    public int pending() {
        MaintenanceMode m = mode;
        int n = writes.get();
        if (m.on() && !graceOver) {
            if (System.nanoTime() - onSinceNanos < grace.toNanos()) {
                n += uploads.activeBefore(m.generation(), abandonedAfter);
            }
            if (n == 0) {
                graceOver = true;
            }
        }
        return n;
    }

    private static String gateName() {
        String host = ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9._-]", "-");
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String name = host + "-" + HexFormat.of().formatHex(random);
        return name.length() > 120 ? name.substring(name.length() - 120) : name;
    }

    /** Where the mode is kept; the reload watches its file when it has one. */
    public MaintenanceStore store() {
        return store;
    }

    String gate() {
        return gate;
    }

    /** Stops reporting and withdraws the report: a closed gate lets nothing through. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.withdraw(gate);
        } catch (RuntimeException e) {
            LOG.debug("maintenance report not removed", e);
        }
    }
}
