package io.portcullis.reload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps the lines an operator would read ("INFO …", "WARN …") and lets a test wait for one with a deadline. */
final class RecordingLog implements ReloadLog {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String line) {
        lines.add("INFO " + line);
        notifyAll();
    }

    @Override
    public synchronized void warn(String line) {
        lines.add("WARN " + line);
        notifyAll();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized int size() {
        return lines.size();
    }

    /** Waits until a line at index {@code from} or later matches; fails with every line seen after the deadline. */
    synchronized String await(int from, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = from; i < lines.size(); i++) {
                if (wanted.test(lines.get(i))) {
                    return lines.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching log line within " + timeout + "; lines: " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    String awaitStartingWith(int from, String prefix) throws InterruptedException {
        return await(from, l -> l.startsWith(prefix), Duration.ofSeconds(20));
    }
}
