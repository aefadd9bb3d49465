package io.portcullis.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.portcullis.ClientAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows password guessing: after too many failed logins from one client address, or for one user name, within
 * a window, further attempts are refused with 429 before any bcrypt work is spent. The per-user count
 * catches guessing spread over many addresses; the per-address count catches one client trying many names.
 * A success resets its address's count (not the user name's, so a guesser cannot be reset by the victim).
 */
public final class LoginThrottle {
    private final FailureCounter<String> byAddress;
    private final FailureCounter<String> byUser;

    /**
     * @param addressLimit failures from one address that block it; 0 turns this off
     * @param userLimit    failures for one user name that block it; 0 turns this off
     * @param window       how long failures count, from the first
     * @param maxTracked   most addresses, and most user names, remembered at once
     */
    public LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked) {
        this(addressLimit, userLimit, window, maxTracked, Ticker.systemTicker());
    }

    LoginThrottle(int addressLimit, int userLimit, Duration window, long maxTracked, Ticker ticker) {
        this.byAddress = new FailureCounter<>(addressLimit, window, maxTracked, ticker);
        this.byUser = new FailureCounter<>(userLimit, window, maxTracked, ticker);
    }

    public static LoginThrottle off() {
        return new LoginThrottle(0, 0, Duration.ofMinutes(1), 0);
    }

    /** How long this client must wait before a password is checked for it, or empty when it may try now. */
    public Optional<Duration> blockedFor(InetAddress client, String user) {
        Optional<Duration> address = byAddress.blockedFor(key(client));
        Optional<Duration> name = byUser.blockedFor(user);
        if (address.isPresent() && name.isPresent()) {
            return Optional.of(address.get().compareTo(name.get()) > 0 ? address.get() : name.get());
        }
        return address.isPresent() ? address : name;
    }

    /** @return true when this failure made the address or the user name blocked */
    public boolean failed(InetAddress client, String user) {
        boolean addressBlocked = byAddress.fail(key(client));
        boolean userBlocked = byUser.fail(user);
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
}
