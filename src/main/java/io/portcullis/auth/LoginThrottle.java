package io.portcullis.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.portcullis.base.ClientAddress;
import io.portcullis.base.KeyedLimit;
import io.portcullis.config.Settings;
import io.portcullis.shared.RedisStore;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Slows password guessing, before any bcrypt work is spent.
 * <ul>
 * <li>Per address (IPv6: per /64): after {@code addressLimit} failures within the window, every attempt from it
 *     gets 429 until the window ends. An attempt counts from the moment it is accepted for a check (and is taken
 *     back if it succeeds), so parallel guesses cannot all pass before the first failure is recorded: no more
 *     than {@code addressLimit} checks per window, with no slack. A success resets its address.</li>
 * <li>Per user name, from anywhere: after {@code userLimit} failures the name is "under attack" and may only be
 *     tried from addresses with no failures of their own in the window. Guessing spread over many addresses gets
 *     one guess per fresh address, while the user, from a clean address, still gets in: failures elsewhere slow
 *     the attacker, they never lock the user out.</li>
 * <li>Pending checks are bounded per address (429) and in total (503): nothing queues without bound.</li>
 * </ul>
 * Clients behind one NAT share one address, so they share its failure budget and its pending checks; a success
 * from any of them resets the address's failures.
 */
public final class LoginThrottle {
    /** What to do with an attempt that needs a password check. */
    public enum Outcome { CHECK, THROTTLED, TOO_MANY_PENDING, BUSY }

    /** @param retryAfter for THROTTLED and TOO_MANY_PENDING, how long the client should wait */
    public record Decision(Outcome outcome, Duration retryAfter) {
        private static final Decision CHECK = new Decision(Outcome.CHECK, Duration.ZERO);
    }

    /** A client with this many checks pending is told to come back after a second. */
    private static final Duration PENDING_RETRY = Duration.ofSeconds(1);

    private final FailureCounter<String> byAddress;
    private final FailureCounter<UUID> byUser;
    private final KeyedLimit pending;
    /** The counts every gate shares, when several gates share a Redis; null when this gate counts alone. */
    private final RedisLoginCounts shared;

    /**
     * @param addressLimit failures from one address that block it; 0 turns this off
     * @param userLimit    failures for one user name after which only clean addresses may try it; 0 turns this off
     * @param window       how long failures count, from the first
     * @param maxTracked   most addresses, and most user names, remembered at once
     */
    public LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked) {
        this(addressLimit, userLimit, window, maxTracked, Integer.MAX_VALUE, Integer.MAX_VALUE, Ticker.systemTicker());
    }

    /**
     * @param pendingPerAddress password checks one address may have pending at once
     * @param pendingTotal      password checks pending at once from everyone
     */
    public LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked, int pendingPerAddress,
                         int pendingTotal) {
        this(addressLimit, userLimit, window, maxTracked, pendingPerAddress, pendingTotal, Ticker.systemTicker());
    }

    LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked, Ticker ticker) {
        this(addressLimit, userLimit, window, maxTracked, Integer.MAX_VALUE, Integer.MAX_VALUE, ticker);
    }

    LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked, int pendingPerAddress,
                  int pendingTotal, Ticker ticker) {
        this(new FailureCounter<>(addressLimit, window, maxTracked, ticker), new FailureCounter<>(userLimit, window, maxTracked, ticker),
                new KeyedLimit(pendingPerAddress, pendingTotal), null);
    }

    private LoginThrottle(FailureCounter<String> byAddress, FailureCounter<UUID> byUser, KeyedLimit pending,
                          RedisLoginCounts shared) {
        this.byAddress = byAddress;
        this.byUser = byUser;
        this.pending = pending;
        this.shared = shared;
    }

    /**
     * This throttle, with failures also counted in {@code redis} under the same limits, so any number of gates
     * allow together what one gate allows; its own counts stay the fall-back while Redis does not answer.
     */
    public static LoginThrottle shared(int addressLimit, int userLimit, Duration window, long maxTracked,
                                       int pendingPerAddress, int pendingTotal, RedisStore redis) {
        Ticker ticker = Ticker.systemTicker();
        return new LoginThrottle(new FailureCounter<>(addressLimit, window, maxTracked, ticker),
                new FailureCounter<>(userLimit, window, maxTracked, ticker), new KeyedLimit(pendingPerAddress, pendingTotal),
                new RedisLoginCounts(redis, addressLimit, userLimit, window));
    }

    /**
     * The throttle {@code settings} ask for; with several gates on one Redis the failures count across all of them,
     * each gate's own count the fall-back.
     */
    public static LoginThrottle from(Settings.Throttle settings, Optional<RedisStore> redis) {
        Settings.Throttle t = settings;
        return redis.isPresent()
                ? shared(t.failures(), t.userFailures(), t.window(), t.maxTracked(), t.pendingPerAddress(), t.pendingTotal(),
                        redis.get())
                : new LoginThrottle(t.failures(), t.userFailures(), t.window(), t.maxTracked(), t.pendingPerAddress(),
                        t.pendingTotal());
    }

    public static LoginThrottle off() {
        return new LoginThrottle(0, 0, Duration.ofMinutes(1), 0);
    }

    /**
     * Whether this attempt may have its password checked now. On CHECK the attempt is counted and pending: the
     * caller must call {@link #finished} exactly once.
     */
    public Decision tryStart(InetAddress client, String user) {
        String address = key(client);
        UUID name = nameKey(user);
        if (byUser.reached(name) && byAddress.count(address) > 0) {
            return new Decision(Outcome.THROTTLED, byUser.blockedFor(name).orElse(PENDING_RETRY));
        }
        Optional<Duration> wait = byAddress.tryCount(address);
        if (wait.isPresent()) {
            return new Decision(Outcome.THROTTLED, wait.get());
        }
        KeyedLimit.Verdict verdict = pending.acquire(address);
        if (verdict != KeyedLimit.Verdict.ADMITTED) {
            byAddress.uncount(address);
            return new Decision(verdict == KeyedLimit.Verdict.OVER_KEY ? Outcome.TOO_MANY_PENDING : Outcome.BUSY, PENDING_RETRY);
        }
        byUser.fail(name);
        return Decision.CHECK;
    }

    /**
     * After {@link #tryStart} said CHECK, on the worker about to check the password: what the gates sharing a Redis
     * have counted together. Empty when the check may go ahead (counted there too), or when there is no shared
     * count or it does not answer in time; otherwise how long to wait, and the attempt is over (no
     * {@link #finished} call): it is taken back from this gate's counts, as it was never checked.
     */
    public Optional<Duration> sharedStart(InetAddress client, String user) {
        if (shared == null) {
            return Optional.empty();
        }
        String address = key(client);
        UUID name = nameKey(user);
        Optional<Duration> wait = shared.tryStart(address, name);
        if (wait.isPresent()) {
            pending.release(address);
            byAddress.uncount(address);
            byUser.uncount(name);
        }
        return wait;
    }

    /** @return true when this failure is the one that blocked the address or put the name under attack */
    public boolean finished(InetAddress client, String user, boolean success) {
        String address = key(client);
        UUID name = nameKey(user);
        pending.release(address);
        boolean sharedBlocked = shared != null && shared.finished(address, name, success);
        if (success) {
            byAddress.reset(address);
            byUser.uncount(name);
            return false;
        }
        return byAddress.justReached(address) || byUser.justReached(name) || sharedBlocked;
    }

    /**
     * Ends an attempt whose password could not be judged (the directory did not answer): taken back as if it had not
     * been made, neither a failure nor a success, so an outage throttles nobody and clears nobody's failures.
     */
    public void unjudged(InetAddress client, String user) {
        String address = key(client);
        pending.release(address);
        byAddress.uncount(address);
        byUser.uncount(nameKey(user));
    }

    /** A login refused without any check (a user name no htpasswd entry can have): counts for the address only. */
    public void refusedUnchecked(InetAddress client) {
        byAddress.fail(key(client));
    }

    /** How long this client must wait before a password is checked for it, or empty when it may try now. */
    public Optional<Duration> blockedFor(InetAddress client, String user) {
        String address = key(client);
        UUID name = nameKey(user);
        Optional<Duration> addressWait = byAddress.blockedFor(address);
        if (addressWait.isPresent()) {
            return addressWait;
        }
        return byUser.reached(name) && byAddress.count(address) > 0 ? byUser.blockedFor(name) : Optional.empty();
    }

    /** Records a failed check outside {@link #tryStart} (tests and callers that check themselves). */
    public boolean failed(InetAddress client, String user) {
        boolean addressBlocked = byAddress.fail(key(client));
        boolean userBlocked = byUser.fail(nameKey(user));
        return addressBlocked || userBlocked;
    }

    public void succeeded(InetAddress client) {
        byAddress.reset(key(client));
    }

    long trackedAddresses() {
        return byAddress.tracked();
    }

    static String key(InetAddress client) {
        return ClientAddress.key(client);
    }

    /** Names are tracked by a 128-bit digest: a flood of long made-up names costs the same small entry each. */
    private static UUID nameKey(String user) {
        return UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8));
    }
}
