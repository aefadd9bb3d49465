package io.portcullis.server;

import io.portcullis.ClientAddress;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts open client connections, in total and per source address (IPv6: per /64, as one host usually owns a whole
 * /64), and refuses a new one past either cap. A refused connection is closed at once, before its TLS handshake:
 * it costs one accept and no buffer. Addresses leave the map when their last connection closes, so the map holds
 * no more entries than there are open connections.
 */
final class ConnectionLimits {
    enum Verdict { ADMITTED, TOO_MANY_TOTAL, TOO_MANY_FROM_ADDRESS }

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedTotal = new AtomicLong();
    private final AtomicLong refusedAddress = new AtomicLong();

    ConnectionLimits(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** On ADMITTED the caller must call {@link #closed} exactly once when the connection closes. */
    Verdict open(InetAddress client) {
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            refusedTotal.incrementAndGet();
            return Verdict.TOO_MANY_TOTAL;
        }
        boolean[] admitted = {false};
        byAddress.compute(ClientAddress.key(client), (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < maxPerAddress) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            refusedAddress.incrementAndGet();
            return Verdict.TOO_MANY_FROM_ADDRESS;
        }
        return Verdict.ADMITTED;
    }

    void closed(InetAddress client) {
        open.decrementAndGet();
        byAddress.computeIfPresent(ClientAddress.key(client), (k, c) -> c.decrementAndGet() == 0 ? null : c);
    }

    int open() {
        return open.get();
    }

    long refused(Verdict why) {
        return why == Verdict.TOO_MANY_TOTAL ? refusedTotal.get() : refusedAddress.get();
    }
}
