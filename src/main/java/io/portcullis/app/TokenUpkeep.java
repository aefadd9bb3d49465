package io.portcullis.app;

import io.portcullis.token.FileTokenStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tokens' last uses in the background (every few seconds, each token at most once a minute: the store
 * coalesces), so a request never waits for the disk; and the rest at close.
 */
final class TokenUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenUpkeep.class);
    private static final long FLUSH_SECONDS = 5;

    private final FileTokenStore store;
    private final ScheduledExecutorService timer;

    private TokenUpkeep(FileTokenStore store, ScheduledExecutorService timer) {
        this.store = store;
        this.timer = timer;
    }

    static TokenUpkeep start(FileTokenStore store) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-token-uses");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                store.flushUses(false);
            } catch (RuntimeException e) {
                LOG.warn("token last-use times not written: {}", e.getMessage());
            }
        }, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
        return new TokenUpkeep(store, timer);
    }

    FileTokenStore store() {
        return store;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        store.close();
    }
}
