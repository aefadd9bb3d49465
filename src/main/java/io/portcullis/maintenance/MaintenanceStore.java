package io.portcullis.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the maintenance switch lives, shared by {@code portcullis maintenance} and every gate that uses the same
 * state: the state directory ({@link DirectoryMaintenanceStore}, the default) or a store several gates share.
 * Gates read {@link #mode()} (at least every {@link MaintenanceSwitch#HEARTBEAT}, so it must be cheap) and
 * {@link #report} about themselves; the command changes the mode and reads the reports.
 */
public interface MaintenanceStore extends AutoCloseable {
    /** A report older than this belongs to a gate that is gone (heartbeats come every half second). */
    Duration STALE_AFTER = Duration.ofSeconds(5);

    /** The switch as stored now. */
    MaintenanceMode mode();

    /** Turns the switch on (already on: unchanged) and returns what is stored. */
    MaintenanceMode switchOn(Instant now);

    /** Turns the switch off (already off: unchanged) and returns what is stored. */
    MaintenanceMode switchOff();

    /** Stores this gate's report, replacing its previous one. */
    void report(GateReport report);

    /** Removes a gate's report: it closed and lets nothing through any more. */
    void withdraw(String gate);

    /** The reports of all gates, stale ones included (the caller decides with {@link #STALE_AFTER}). */
    List<GateReport> reports();

    @Override
    default void close() {
    }
}
