package io.portcullis.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code portcullis maintenance} does with a {@link MaintenanceStore}: switch, describe, and wait until no
 * running gate lets a write through.
 */
public final class MaintenanceControl {
    static final Duration POLL = Duration.ofMillis(200);

    private final MaintenanceStore store;
    private final Clock clock;

    public MaintenanceControl(MaintenanceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public MaintenanceMode on() {
        return store.switchOn(clock.instant());
    }

    public MaintenanceMode off() {
        return store.switchOff();
    }

    public MaintenanceMode mode() {
        return store.mode();
    }

    /** One gate as {@code status} shows it. */
    public record GateState(GateReport report, boolean alive, boolean applied, Duration age) {
        public String describe() {
            String name = report.gate();
            if (!alive) {
                return name + ": no report for " + age.toSeconds() + " s (stopped or hung; not waited for)";
            }
            return name + ": " + (applied ? "applies the current mode" : "has not applied the current mode yet") + ", "
                    + report.pendingWrites() + (report.pendingWrites() == 1 ? " write" : " writes") + " pending";
        }
    }

    /** The gates that reported, alive ones first; a report older than {@link MaintenanceStore#STALE_AFTER} is not alive. */
    public List<GateState> gates(MaintenanceMode mode) {
        Instant now = clock.instant();
        return store.reports().stream().map(r -> {
            Duration age = Duration.between(r.at(), now);
            return new GateState(r, age.compareTo(MaintenanceStore.STALE_AFTER) < 0, r.generation() == mode.generation(), age);
        }).sorted(Comparator.comparing((GateState g) -> !g.alive()).thenComparing(g -> g.report().gate())).toList();
    }

    /** The end of a wait: the gates still writing (empty: every alive gate is quiet) and how many were alive. */
    public record Quiet(List<GateState> busy, int alive) {
        public boolean reached() {
            return busy.isEmpty();
        }
    }

    /**
     * Waits until every alive gate applies {@code mode} and has nothing pending, or {@code timeout} passed.
     *
     * @param progress gets the busy gates whenever they change, to say what is being waited for
     */
    public Quiet awaitQuiet(MaintenanceMode mode, Duration timeout, Consumer<List<GateState>> progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> said = null;
        while (true) {
            List<GateState> alive = gates(mode).stream().filter(GateState::alive).toList();
            List<GateState> busy = alive.stream().filter(g -> !g.report().quiesced(mode)).toList();
            if (busy.isEmpty() || System.nanoTime() > deadline) {
                return new Quiet(busy, alive.size());
            }
            List<String> now = busy.stream().map(GateState::describe).toList();
            if (!now.equals(said)) {
                progress.accept(busy);
                said = now;
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
