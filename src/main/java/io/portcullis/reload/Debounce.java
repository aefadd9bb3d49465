package io.portcullis.reload;

import java.time.Duration;

/**
 * When to check after relevant events: {@code quiet} after the last one, so a certificate and its key written one
 * after the other are checked once, together; but never later than {@code cap} after the first one, so a file
 * written again and again (a state file the gate itself rewrites, a tool that rewrites its output every few ms)
 * cannot postpone the check forever. Times are {@link System#nanoTime()} values given by the caller, so that the
 * rule is tested without a clock. Not thread-safe: owned by the watcher thread.
 */
final class Debounce {
    private final long quietNanos;
    private final long capNanos;
    private boolean pending;
    private long dueAt;
    private long latestAllowed;

    /** @param cap at least {@code quiet}: a shorter cap would make every check come {@code cap} after the first event */
    Debounce(Duration quiet, Duration cap) {
        if (quiet.isNegative() || cap.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet <= cap, got quiet " + quiet + ", cap " + cap);
        }
        this.quietNanos = quiet.toNanos();
        this.capNanos = cap.toNanos();
    }

    /** A relevant event seen at {@code now}. */
    void event(long now) {
        if (!pending) {
            pending = true;
            latestAllowed = now + capNanos;
        }
        long quietEnd = now + quietNanos;
        dueAt = quietEnd - latestAllowed < 0 ? quietEnd : latestAllowed;
    }

    /** Whether a check is waiting. */
    boolean pending() {
        return pending;
    }

    /** Nanoseconds from {@code now} until the check is due (0 or less: due now); only meaningful when pending. */
    long nanosUntilDue(long now) {
        return dueAt - now;
    }

    /** The check ran: the next relevant event starts a new period. */
    void checked() {
        pending = false;
    }
}
