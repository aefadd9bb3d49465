package io.portcullis.maintenance;

import java.time.Instant;
import java.util.Optional;

/**
 * The maintenance switch as stored: on or off, and a generation that grows with every change, so a gate's report
 * can say which switch it has applied ({@code maintenance on --wait} waits for the current one on every gate).
 *
 * @param since when it was turned on; empty when off
 */
public record MaintenanceMode(boolean on, long generation, Optional<Instant> since) {
    public static final MaintenanceMode OFF = new MaintenanceMode(false, 0, Optional.empty());

    /** The mode after turning the switch on at {@code now}; already on keeps its time and generation. */
    public MaintenanceMode switchedOn(Instant now) {
        return on ? this : new MaintenanceMode(true, generation + 1, Optional.of(now));
    }

    public MaintenanceMode switchedOff() {
        return on ? new MaintenanceMode(false, generation + 1, Optional.empty()) : this;
    }
}
