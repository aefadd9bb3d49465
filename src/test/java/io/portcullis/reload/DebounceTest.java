package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The check comes a quiet period after the last relevant event, but never later than the cap after the first. */
class DebounceTest {
    private static final long MS = 1_000_000L;
    private final Debounce debounce = new Debounce(Duration.ofMillis(250), Duration.ofSeconds(1));

    @Test
    void nothingIsPendingBeforeAnEvent() {
        assertFalse(debounce.pending());
    }

    @Test
    void oneEventIsCheckedAQuietPeriodLater() {
        long t0 = 5_000 * MS;
        debounce.event(t0);
        assertTrue(debounce.pending());
        assertEquals(250 * MS, debounce.nanosUntilDue(t0));
    }

    @Test
    void eventsCloseTogetherMoveTheCheckToAQuietPeriodAfterTheLast() {
        long t0 = 0;
        debounce.event(t0);
        debounce.event(t0 + 100 * MS);
        assertEquals(350 * MS, debounce.nanosUntilDue(t0));
    }

    @Test
    void aSteadyStreamOfEventsCannotPostponeTheCheckBeyondTheCapFromTheFirst() {
        long t0 = -7 * MS; // nanoTime values may be negative
        for (long t = t0; t < t0 + 5_000 * MS; t += 2 * MS) {
            debounce.event(t);
        }
        assertEquals(t0 + 1_000 * MS, t0 + 5_000 * MS + debounce.nanosUntilDue(t0 + 5_000 * MS));
    }

    @Test
    void afterACheckTheNextEventStartsANewPeriod() {
        debounce.event(0);
        debounce.event(900 * MS);
        assertEquals(1_000 * MS, debounce.nanosUntilDue(0));
        debounce.checked();
        assertFalse(debounce.pending());

        debounce.event(1_200 * MS);
        assertEquals(1_450 * MS, debounce.nanosUntilDue(0));
        debounce.event(2_100 * MS);
        assertEquals(2_200 * MS, debounce.nanosUntilDue(0), "capped a second after 1.2 s, not after 0");
    }

    @Test
    void aCapShorterThanTheQuietPeriodIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Debounce(Duration.ofSeconds(1), Duration.ofMillis(250)));
    }
}
