package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A file beside watched ones, appended to every {@code interval} by a thread of its own until closed, as a log is
 * written under steady traffic: every line is a directory event for an unrelated name. {@link #awaitLines} tells
 * when the noise is really under way.
 */
public final class BusyDirectory implements AutoCloseable {
    private final Path file;
    private final Duration interval;
    private final AtomicLong lines = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile IOException failure;

    private BusyDirectory(Path file, Duration interval) {
        this.file = file;
        this.interval = interval;
        this.writer = new Thread(this::write, "busy-" + file.getFileName());
        writer.setDaemon(true);
    }

    /** Starts appending a line to {@code dir/name} every {@code interval}. */
    public static BusyDirectory start(Path dir, String name, Duration interval) {
        BusyDirectory busy = new BusyDirectory(dir.resolve(name), interval);
        busy.writer.start();
        return busy;
    }

    private void write() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (running) {
                channel.write(ByteBuffer.wrap(("line " + lines.get() + " of a busy neighbour\n").getBytes(StandardCharsets.UTF_8)));
                lines.incrementAndGet();
                LockSupport.parkNanos(interval.toNanos());
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Waits until at least {@code count} lines are written (fails after 20 s or when the writer failed). */
    public void awaitLines(long count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lines.get() < count) {
            if (failure != null) {
                throw new UncheckedIOException("writing " + file, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + lines.get() + " lines written to " + file + " in 20 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** Lines written so far. */
    public long lines() {
        return lines.get();
    }

    /** Fails when the writer has stopped on an error (the noise the test relies on was not there). */
    public void assertStillWriting() {
        if (failure != null || !writer.isAlive()) {
            throw new AssertionError("the writer of " + file + " stopped", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
