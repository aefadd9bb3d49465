package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for web UIs on other origins ({@code cors-origin}): the exact origins allowed, as browsers
 * send them in {@code Origin} (scheme, host, port only when not the scheme's default). Never a wildcard: the UIs
 * send the user's credentials, and browsers refuse credentials with {@code *} anyway.
 */
public record CorsSettings(Set<String> origins) {

    public CorsSettings {
        origins = Set.copyOf(origins);
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** Origins separated by commas or spaces (the flag and the config key may repeat). */
    static CorsSettings parse(String text) {
        List<String> origins = new ArrayList<>();
        for (String word : text.split("[,\\s]+")) {
            if (!word.isEmpty()) {
                origins.add(origin(word));
            }
        }
        return new CorsSettings(new LinkedHashSet<>(origins));
    }

    private static String origin(String text) {
        if (text.equals("*") || text.equalsIgnoreCase("null")) {
            throw new IllegalArgumentException("'" + text + "' is not allowed: list each web UI's exact origin, e.g. https://ui.example.com");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not an origin; expected e.g. https://ui.example.com:8443");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not an origin; expected scheme://host[:port], e.g. https://ui.example.com");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "': an origin is scheme://host[:port] only, without a path or a trailing '/'");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        // what a browser sends: lower case, no default port
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
