package io.portcullis.config;

import io.portcullis.base.UserError;
import java.time.Duration;
import java.util.Optional;

/** {@code token-lifetime} and {@code token-max-lifetime}, also read by {@code token create --expires} and {@code rotate --grace}. */
public final class TokenLifetimes {
    private TokenLifetimes() {
    }

    static Settings.Tokens of(Duration lifetime, Optional<Duration> max) {
        if (max.isPresent() && lifetime.compareTo(max.get()) > 0) {
            throw new UserError("token-lifetime " + lifetime.toDays() + "d is longer than token-max-lifetime " + max.get().toDays()
                    + "d; shorten the one or lengthen the other");
        }
        return new Settings.Tokens(lifetime, max);
    }

    /** A token's lifetime (30m, 12h, 90d): a second or more, at most 100 years. */
    public static Duration lifetime(String text) {
        Duration d = ValueParsers.duration(text);
        if (d.toSeconds() < 1 || d.toDays() > 36_500) {
            throw new IllegalArgumentException("must be from 1s to 36500d, e.g. 90d");
        }
        return d;
    }

    /** The maximum: a lifetime, or {@code none} for no maximum (tokens may then be made to never expire). */
    static Optional<Duration> maximum(String text) {
        return text.equals("none") ? Optional.empty() : Optional.of(lifetime(text));
    }
}
