package io.portcullis.reload;

import java.util.List;

/**
 * What one reload attempt did, worded for the operator: {@code message} is the single line logged for it
 * (INFO when reloaded, WARN when rejected, nothing when unchanged); {@code warnings} are extra WARN lines
 * about what was accepted (a certificate close to expiry, an empty user list).
 */
public record ReloadReport(Outcome outcome, String message, List<String> warnings) {
    public enum Outcome { UNCHANGED, RELOADED, REJECTED }

    public static ReloadReport unchanged() {
        return new ReloadReport(Outcome.UNCHANGED, "", List.of());
    }

    public static ReloadReport reloaded(String message, List<String> warnings) {
        return new ReloadReport(Outcome.RELOADED, message, List.copyOf(warnings));
    }

    public static ReloadReport rejected(String message) {
        return new ReloadReport(Outcome.REJECTED, message, List.of());
    }
}
