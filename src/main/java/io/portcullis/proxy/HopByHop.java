package io.portcullis.proxy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The headers that belong to one connection, not to the message (RFC 9110 7.6.1): {@code Connection} and the
 * headers it names, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Upgrade}, {@code Proxy-Connection} and
 * every {@code Proxy-*} header. Framing ({@code Content-Length}, {@code Transfer-Encoding}) and {@code Host} are
 * the proxy's to rewrite and stay, whatever {@code Connection} names. Used for requests (client to gate) and
 * responses (registry to gate) alike.
 */
final class HopByHop {
    // HttpString compares and hashes case-insensitively: no lower-cased copy of each header name per request
    private static final Set<HttpString> HOP_BY_HOP = Set.of(Headers.CONNECTION, Headers.KEEP_ALIVE, Headers.TE,
            Headers.TRAILER, Headers.UPGRADE, new HttpString("Proxy-Connection"));
    private static final Set<HttpString> KEPT = Set.of(Headers.HOST, Headers.CONTENT_LENGTH, Headers.TRANSFER_ENCODING);
    private static final String PROXY_PREFIX = "proxy-";

    private HopByHop() {
    }

    static void remove(HeaderMap headers) {
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            for (String value : connection) {
                for (String token : value.split(",")) {
                    String name = token.strip();
                    if (!name.isEmpty() && !KEPT.contains(HttpString.tryFromString(name))) {
                        headers.remove(name);
                    }
                }
            }
        }
        List<HttpString> doomed = null;
        for (HeaderValues values : headers) {
            HttpString name = values.getHeaderName();
            if (HOP_BY_HOP.contains(name) || startsWithIgnoreCase(name, PROXY_PREFIX)) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(name);
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }

    /** Whether the header name starts with {@code lowerPrefix}, in any case, without copying it. */
    static boolean startsWithIgnoreCase(HttpString name, String lowerPrefix) {
        return name.length() >= lowerPrefix.length() && name.toString().regionMatches(true, 0, lowerPrefix, 0, lowerPrefix.length());
    }
}
