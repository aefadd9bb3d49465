package io.portcullis.observe;

import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.exchange.WhoAnswered;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What is known about one finished exchange, taken once from Undertow so the access log formats and the metrics
 * read the same facts. Holds no header but Referer and User-Agent (for the combined format) and no query string.
 *
 * @param user           the authenticated user, null when none
 * @param upstreamStatus the status the registry answered, null when the gate answered itself
 * @param upstreamFailed the request was forwarded but the gate had to answer 5xx itself (registry down, timeout)
 * @param referer        null when absent
 * @param userAgent      null when absent
 */
public record ExchangeRecord(Instant time, String client, String user, String method, String path, String protocol,
                             int status, long bytesIn, long bytesOut, long durationNanos, Integer upstreamStatus,
                             boolean upstreamFailed, String referer, String userAgent) {

    static ExchangeRecord of(HttpServerExchange ex, Instant time, long durationNanos, long bytesIn) {
        InetSocketAddress source = ex.getSourceAddress();
        String client = source == null || source.getAddress() == null ? "-" : source.getAddress().getHostAddress();
        return new ExchangeRecord(time, client, AuthenticatedUser.of(ex).orElse(null), ex.getRequestMethod().toString(),
                ex.getRequestPath(), ex.getProtocol().toString(), ex.getStatusCode(), bytesIn, ex.getResponseBytesSent(),
                durationNanos, WhoAnswered.upstreamStatus(ex).orElse(null), WhoAnswered.upstreamFailed(ex),
                ex.getRequestHeaders().getFirst(Headers.REFERER), ex.getRequestHeaders().getFirst(Headers.USER_AGENT));
    }

    public long durationMillis() {
        return durationNanos / 1_000_000;
    }
}
