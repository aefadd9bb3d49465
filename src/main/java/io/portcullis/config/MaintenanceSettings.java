package io.portcullis.config;

import java.time.Duration;

/**
 * The maintenance switch ({@code portcullis maintenance on|off}).
 *
 * @param grace how long uploads started before the switch may go on
 */
public record MaintenanceSettings(Duration grace) {
}
