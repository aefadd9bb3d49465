package io.portcullis.reload;

import java.io.Closeable;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on SIGHUP, the signal operators send to make a daemon re-read its files. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported, present in every Java 17 runtime): the JDK has no public API
 * for it. Installing can fail (no SIGHUP on the platform, or the JVM runs with -Xrs), and under {@code nohup}
 * (SIGHUP ignored when the JVM started) HotSpot leaves the signal ignored and answers SIG_IGN instead of
 * installing anything; in all three cases reload only follows file changes, and the caller says so. Each signal
 * runs the action on a short-lived JVM thread, never an IO thread.
 */
final class Sighup implements Closeable {
    private final Signal signal;
    private final SignalHandler previous;

    private Sighup(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    static Optional<Sighup> install(Runnable action) {
        try {
            Signal hup = new Signal("HUP");
            SignalHandler previous = Signal.handle(hup, s -> action.run());
            if (previous == SignalHandler.SIG_IGN) {
                return Optional.empty(); // ignored by whoever started the JVM (nohup): nothing was installed
            }
            return Optional.of(new Sighup(hup, previous));
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Puts back whatever handled SIGHUP before. */
    @Override
    public void close() {
        Signal.handle(signal, previous);
    }
}
