package io.portcullis.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition the way the tests must: look, and look again after a short pause, until it holds or a
 * deadline passes. Never a sleep for something to have happened.
 */
public final class Poll {
    private static final long INTERVAL_MILLIS = 50;

    private Poll() {
    }

    /** Whether {@code condition} held within {@code timeout}. */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(INTERVAL_MILLIS);
        }
        return true;
    }

    /** Fails the test, naming {@code what}, unless {@code condition} holds within {@code timeout}. */
    public static void assertWithin(Duration timeout, BooleanSupplier condition, String what) {
        if (!until(condition, timeout)) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
        }
    }

    /** The interval between two looks, for a poll loop that does more than test a condition: the one sleep. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
