package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counters behind the login throttle, on a hand-moved clock (no sleeping). */
class FailureCounterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker clock = nanos::get;

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void blocksAtTheLimitUntilTheWindowThatBeganWithTheFirstFailureEnds() {
        FailureCounter<String> c = new FailureCounter<>(3, Duration.ofSeconds(60), 100, clock);
        assertFalse(c.fail("a"));
        advance(Duration.ofSeconds(10));
        assertFalse(c.fail("a"));
        assertEquals(Optional.empty(), c.blockedFor("a"));
        assertTrue(c.fail("a"), "the third failure blocks");
        assertEquals(Optional.of(Duration.ofSeconds(50)), c.blockedFor("a"));
        assertEquals(Optional.empty(), c.blockedFor("b"));

        advance(Duration.ofSeconds(50));
        assertEquals(Optional.empty(), c.blockedFor("a"));
        assertFalse(c.fail("a"), "a new window starts from one");
        assertEquals(Optional.empty(), c.blockedFor("a"));
    }

    @Test
    void resetForgetsTheKey() {
        FailureCounter<String> c = new FailureCounter<>(2, Duration.ofSeconds(60), 100, clock);
        c.fail("a");
        c.reset("a");
        c.fail("a");
        assertEquals(Optional.empty(), c.blockedFor("a"));
    }

    @Test
    void zeroTurnsCountingOff() {
        FailureCounter<String> c = new FailureCounter<>(0, Duration.ofSeconds(60), 100, clock);
        for (int i = 0; i < 100; i++) {
            c.fail("a");
        }
        assertEquals(Optional.empty(), c.blockedFor("a"));
        assertEquals(0, c.tracked());
    }

    @Test
    void aFloodOfDistinctAddressesStaysWithinTheBound() {
        LoginThrottle t = new LoginThrottle(5, 0, Duration.ofMinutes(1), 10_000, clock);
        byte[] ip = new byte[4];
        for (int i = 0; i < 1_000_000; i++) {
            ip[0] = 10;
            ip[1] = (byte) (i >>> 16);
            ip[2] = (byte) (i >>> 8);
            ip[3] = (byte) i;
            t.failed(address(ip), "u" + i);
        }
        long tracked = t.trackedAddresses();
        assertTrue(tracked <= 10_000, "tracked " + tracked);
        assertTrue(tracked > 0);
    }

    @Test
    void aNameUnderAttackIsRefusedOnlyToAddressesWithFailuresAndSuccessResetsOnlyTheAddress() {
        // by design: a name's failures from elsewhere do not lock out a clean address
        LoginThrottle t = new LoginThrottle(3, 4, Duration.ofMinutes(1), 100, clock);
        InetAddress one = address(new byte[] {10, 0, 0, 1});
        InetAddress two = address(new byte[] {10, 0, 0, 2});
        InetAddress three = address(new byte[] {10, 0, 0, 3});
        t.failed(one, "alice");
        t.failed(one, "alice");
        t.failed(two, "alice");
        assertEquals(Optional.empty(), t.blockedFor(two, "alice"));
        t.failed(two, "alice");
        assertTrue(t.blockedFor(two, "alice").isPresent(), "four failures for alice from anywhere: not from an address that failed");
        assertEquals(Optional.empty(), t.blockedFor(three, "alice"), "an address with no failures of its own may still try alice");
        assertEquals(Optional.empty(), t.blockedFor(two, "bob"));

        t.failed(one, "x");
        assertTrue(t.blockedFor(one, "bob").isPresent(), "three failures from one address, whatever the names");
        t.succeeded(one);
        assertEquals(Optional.empty(), t.blockedFor(one, "bob"));
        assertTrue(t.blockedFor(two, "alice").isPresent(), "alice's own count is not reset by a success");
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        assertEquals(LoginThrottle.key(InetAddress.getByName("2001:db8:1:2::1")), LoginThrottle.key(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertFalse(LoginThrottle.key(InetAddress.getByName("2001:db8:1:2::1")).equals(LoginThrottle.key(InetAddress.getByName("2001:db8:1:3::1"))));
        assertEquals("127.0.0.2", LoginThrottle.key(InetAddress.getByName("127.0.0.2")));
    }

    private static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip.clone());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
