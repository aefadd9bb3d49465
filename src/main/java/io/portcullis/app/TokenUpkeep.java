package io.portcullis.app;

import io.portcullis.token.FileTokenStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token store's background work, so a request never waits for the disk: takes up changes made by the CLI (a stat
 * of the store file every tenth of a second, so a revocation holds within a second even when the file watcher is kept
 * busy: the reloader's watcher waits for a quiet directory, and a state directory beside a busy log is never quiet);
 * writes last uses every few seconds (each token at most once a minute: the store coalesces), and the rest at close.
 */
final class TokenUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenUpkeep.class);
    private static final long FLUSH_SECONDS = 5;
    /**
     * A revocation by the CLI holds in the gate within this plus the time to read the file. A stat costs microseconds;
     * at 250 ms, with the look sharing a thread with the last-use writes (two fsyncs each), TokenIT saw revocations
     * take 1.1-1.3 s on the shared test machine while other builds wrote to the disk.
     */
    private static final long LOOK_MILLIS = 100;

    private final FileTokenStore store;
    private final ScheduledExecutorService writer;
    private final ScheduledExecutorService looker;

    private TokenUpkeep(FileTokenStore store, ScheduledExecutorService writer, ScheduledExecutorService looker) {
        this.store = store;
        this.writer = writer;
        this.looker = looker;
    }

    private static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static TokenUpkeep start(FileTokenStore store) {
        // two threads: a slow fsync of the last uses must not hold up taking in a revocation
        ScheduledExecutorService writer = thread("portcullis-token-uses");
        ScheduledExecutorService looker = thread("portcullis-token-look");
        writer.scheduleWithFixedDelay(() -> {
            try {
                store.flushUses(false);
            } catch (RuntimeException e) {
                LOG.warn("token last-use times not written: {}", e.getMessage());
            }
        }, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
        looker.scheduleWithFixedDelay(() -> {
            try {
                store.refreshIfTouched();
            } catch (RuntimeException e) {
                // corrupt or unreadable: the tokens in memory stay; said once per change by the reloader's watch
                LOG.debug("token store not re-read: {}", e.getMessage());
            }
        }, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
        return new TokenUpkeep(store, writer, looker);
    }

    FileTokenStore store() {
        return store;
    }

    @Override
    public void close() {
        looker.shutdownNow();
        writer.shutdownNow();
        store.close();
    }
}
