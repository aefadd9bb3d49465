package io.portcullis.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long tokens live ({@code token-lifetime}, {@code token-max-lifetime}): every token expires unless the
 * operator turned the maximum off, and nobody, on the command line or the web page, asks for longer than it.
 *
 * @param defaultLifetime a token created without {@code --expires}
 * @param maxLifetime     the longest a token may be asked for; empty allows {@code --expires never}
 */
public record TokenPolicy(Duration defaultLifetime, Optional<Duration> maxLifetime) {
    public static final String NEVER = "never";

    /**
     * When a token asked for now expires.
     *
     * @param requested      the lifetime asked for; empty for the default
     * @param neverRequested {@code --expires never}: allowed only without a maximum
     *
     * @throws IllegalArgumentException saying what the maximum is
     */
    public Optional<Instant> expiry(Optional<Duration> requested, boolean neverRequested, Instant now) {
        if (neverRequested) {
            if (maxLifetime.isPresent()) {
                throw new IllegalArgumentException("tokens must expire: the longest allowed is " + Durations.text(maxLifetime.get())
                        + " (setting token-max-lifetime)");
            }
            return Optional.empty();
        }
        Duration lifetime = requested.orElse(defaultLifetime);
        if (maxLifetime.isPresent() && lifetime.compareTo(maxLifetime.get()) > 0) {
            if (requested.isEmpty()) {
                lifetime = maxLifetime.get();
            } else {
                throw new IllegalArgumentException("--expires " + Durations.text(lifetime) + " is longer than the longest allowed, "
                        + Durations.text(maxLifetime.get()) + " (setting token-max-lifetime)");
            }
        }
        return Optional.of(now.plus(lifetime));
    }
}
