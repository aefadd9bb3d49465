package io.portcullis.audit;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink that never holds up the request that made an event: {@link #accept} only queues (dropping the oldest when
 * full), and one thread of its own delivers batches in order, retrying a failed batch with backoff until it goes
 * through. Subclasses say how a batch is delivered.
 */
abstract class QueuedSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedSink.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What a delivery attempt came to. */
    enum Outcome {
        /** Done with the batch: it went through. */
        DELIVERED,
        /** Done with the batch: the receiver refused it for good (4xx); retrying cannot help. */
        REJECTED,
        /** Try the same batch again after a pause (connection failure, 5xx, disk error). */
        RETRY
    }

    private final String name;
    private final DropOldestQueue queue;
    private final int batchSize;
    private final AuditMetrics metrics;
    private final Thread thread;
    private volatile boolean closing;

    QueuedSink(String name, int bound, int batchSize, AuditMetrics metrics) {
        this.name = name;
        this.queue = new DropOldestQueue(bound);
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "audit " + name);
        this.thread.setDaemon(true);
    }

    final void start() {
        thread.start();
    }

    /** Queues one event's JSON; never blocks. */
    final void accept(String eventJson) {
        if (queue.offer(eventJson)) {
            metrics.dropped(name);
        }
    }

    final String name() {
        return name;
    }

    final int queued() {
        return queue.size();
    }

    /** Delivers a batch of events' JSON, oldest first. Runs on this sink's thread only. */
    abstract Outcome deliver(List<String> events);

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closing || queue.size() > 0) {
            try {
                DropOldestQueue.Batch batch = queue.peek(batchSize, 500);
                if (batch.items().isEmpty()) {
                    continue;
                }
                Outcome outcome = deliverSafely(batch.items());
                if (outcome == Outcome.RETRY) {
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    continue;
                }
                backoff = FIRST_BACKOFF;
                queue.acknowledge(batch.lastSequence());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Outcome deliverSafely(List<String> events) {
        try {
            return deliver(events);
        } catch (RuntimeException e) {
            LOG.warn("audit sink {}: delivery failed ({}); retrying", name, e.toString());
            return Outcome.RETRY;
        }
    }

    /** Lets the queue empty for up to {@code timeout}, then stops; true when nothing was left behind. */
    final boolean flush(Duration timeout) throws InterruptedException {
        closing = true;
        boolean empty = queue.awaitEmpty(timeout.toMillis());
        thread.interrupt();
        thread.join(1000);
        closeResources();
        if (!empty) {
            LOG.warn("audit sink {}: {} events not delivered before the drain timeout", name, queue.size());
        }
        return empty;
    }

    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        closeResources();
    }

    /** Releases what the sink holds (a file); called after its thread was told to stop. */
    void closeResources() {
    }
}
