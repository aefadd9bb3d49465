package io.portcullis.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded first-in-first-out queue whose producers never wait: when it is full the oldest element makes room. The
 * consumer looks at a batch, delivers it, then acknowledges it; elements dropped meanwhile are simply not there
 * to acknowledge any more, which sequence numbers make safe.
 */
final class DropOldestQueue {
    record Batch(List<String> items, long lastSequence) {
    }

    private record Entry(long sequence, String item) {
    }

    private final int bound;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextSequence;

    DropOldestQueue(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1");
        }
        this.bound = bound;
    }

    /** Adds {@code item} last; returns true when the oldest element was dropped to make room. */
    synchronized boolean offer(String item) {
        boolean dropped = false;
        if (entries.size() >= bound) {
            entries.pollFirst();
            dropped = true;
        }
        entries.addLast(new Entry(nextSequence++, item));
        notifyAll();
        return dropped;
    }

    /** Up to {@code max} of the oldest elements, left in the queue; waits up to {@code waitMillis} for one. */
    synchronized Batch peek(int max, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (entries.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return new Batch(List.of(), -1);
            }
            wait(left);
        }
        List<String> items = new ArrayList<>(Math.min(max, entries.size()));
        long last = -1;
        for (Entry e : entries) {
            if (items.size() == max) {
                break;
            }
            items.add(e.item());
            last = e.sequence();
        }
        return new Batch(items, last);
    }

    /** Removes what {@link #peek} returned (whatever of it is still queued). */
    synchronized void acknowledge(long lastSequence) {
        while (!entries.isEmpty() && entries.peekFirst().sequence() <= lastSequence) {
            entries.pollFirst();
        }
        notifyAll();
    }

    /** Waits until every element was acknowledged or dropped; false when {@code waitMillis} passed first. */
    synchronized boolean awaitEmpty(long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!entries.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized int size() {
        return entries.size();
    }
}
