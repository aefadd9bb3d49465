package io.portcullis.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT: the first starts a drain, a second one ends the process at once. A JVM shutdown hook
 * cannot do this, because the JVM ignores further signals while its hooks run.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final int EXIT_INTERRUPTED = 130;

    private StopSignals() {
    }

    static void onFirstStop(Runnable drain) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    LOG.info("SIG{}: draining requests in flight (send it again to exit at once)", signal.getName());
                    Thread drainer = new Thread(drain, "portcullis-drain");
                    drainer.setDaemon(false);
                    drainer.start();
                } else {
                    LOG.warn("SIG{} again: exiting without waiting for requests in flight", signal.getName());
                    Runtime.getRuntime().halt(EXIT_INTERRUPTED);
                }
            });
        }
    }
}
