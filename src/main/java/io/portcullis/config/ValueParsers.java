package io.portcullis.config;

import io.portcullis.base.HostText;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How setting values are written: durations, whole numbers in a range, on/off, names, the upstream URL and the
 * realm. Each parser throws {@link IllegalArgumentException} with what is expected; the caller adds which setting
 * and where the value came from.
 */
public final class ValueParsers {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private ValueParsers() {
    }

    static URI upstream(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL; expected e.g. http://registry:5000");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, e.g. http://registry:5000");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("a host is required, e.g. http://registry:5000");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("a registry serves /v2/ at its root; remove the path '" + uri.getRawPath() + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("give only scheme, host and port, e.g. http://registry:5000");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return URI.create(scheme + "://" + HostText.withPort(uri.getHost(), port));
    }

    static String realm(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the realm must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("use printable ASCII without quotes or backslashes");
            }
        }
        return text;
    }

    static boolean onOff(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected on or off, not '" + text + "'");
        };
    }

    /** Empty means off; browsers keep at most about two years in practice, so more is a typo. */
    static Optional<Duration> hstsMaxAge(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration d = duration(text);
        if (d.toSeconds() < 1 || d.toDays() > 2 * 366) {
            throw new IllegalArgumentException("must be from 1s to 732d, e.g. 365d");
        }
        return Optional.of(d);
    }

    /** A duration as settings write it (900s, 15m, 1h, 500ms); also used by commands with duration options. */
    public static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be more than zero and at most 24 days");
        }
        return d;
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 900s, 15m, 1h, 365d or 500ms");
        }
        if (m.group(1).length() > 12) {
            throw new IllegalArgumentException("the number is too large");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    static int intInRange(String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        return n;
    }

    /** An enum constant by its lower-case name (log level, log format). */
    static <E extends Enum<E>> E named(Class<E> type, String text, String expected) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected " + (expected.contains(",") ? "one of " : "") + expected);
    }
}
