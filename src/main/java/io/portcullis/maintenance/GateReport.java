package io.portcullis.maintenance;

import java.time.Instant;

/**
 * What one running gate last said about itself, refreshed every {@link MaintenanceSwitch#HEARTBEAT}: which
 * switch generation it applies and how many writes it still lets through. A gate that stops reporting (killed,
 * its host gone) is left out of {@code maintenance on --wait} once its report is older than
 * {@link MaintenanceStore#STALE_AFTER}; a gate that closes in order removes its report.
 *
 * @param gate          a name unique per running gate (host, process id and a random part)
 * @param generation    the {@link MaintenanceMode#generation()} the gate applies
 * @param pendingWrites write requests in flight plus, during the grace period, uploads started before the switch
 *                      that are still sending
 * @param at            when the report was made
 */
public record GateReport(String gate, long generation, int pendingWrites, Instant at) {

    /** Whether this gate has applied {@code mode} and lets no write through any more. */
    public boolean quiesced(MaintenanceMode mode) {
        return generation == mode.generation() && pendingWrites == 0;
    }
}
