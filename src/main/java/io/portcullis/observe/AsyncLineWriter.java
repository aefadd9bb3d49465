package io.portcullis.observe;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands access log lines to one writer thread through a bounded queue, so an IO thread never waits for standard
 * output: a slow log reader (a full pipe, docker's blocking log driver) used to stall every transfer on the IO
 * thread that logged. When the queue is full the line is dropped and counted
 * ({@code portcullis_access_log_dropped_total}), never the request. 8192 lines (~2 MiB) absorb seconds of the
 * gate's peak request rate, so under normal load no line is lost. {@link #close} writes what is queued.
 */
public final class AsyncLineWriter implements Consumer<String>, AutoCloseable {
    static final int CAPACITY = 8192;
    /** Lines taken per write: one flush per batch instead of per line. */
    private static final int BATCH = 256;
    private static final String POISON = new String("end of log");

    private final BlockingQueue<String> queue;
    private final PrintStream out;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    public AsyncLineWriter(PrintStream out) {
        this(out, CAPACITY);
    }

    AsyncLineWriter(PrintStream out, int capacity) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "portcullis-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<String> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                boolean end = false;
                for (String line : batch) {
                    if (line == POISON) {
                        end = true;
                    } else {
                        text.append(line).append('\n');
                    }
                }
                out.print(text);
                out.flush();
                text.setLength(0);
                batch.clear();
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the lines queued so far, waiting up to a few seconds for a slow reader, then stops the writer. */
    @Override
    public void close() {
        try {
            if (queue.offer(POISON, 5, TimeUnit.SECONDS)) {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
