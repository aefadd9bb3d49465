package io.portcullis.observe;

import io.portcullis.base.LogText;
import io.portcullis.base.Json;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One JSON object per line for log pipelines (Loki, Elasticsearch): time (UTC, ISO-8601), client, user, method,
 * path (no query string), status, bytes_in, bytes_out, duration_ms and upstream_status (null when the gate
 * answered itself, e.g. a 401 or a 503 because the registry is down). No header is ever written.
 */
public final class JsonLogFormat implements AccessLogFormat {
    @Override
    public String format(ExchangeRecord r) {
        return "{\"time\":" + Json.quote(DateTimeFormatter.ISO_INSTANT.format(r.time().truncatedTo(ChronoUnit.MILLIS)))
                + ",\"client\":" + Json.quote(r.client())
                + ",\"user\":" + (r.user() == null ? "null" : Json.quote(LogText.printable(r.user())))
                + ",\"method\":" + Json.quote(r.method())
                + ",\"path\":" + Json.quote(LogText.printable(r.path()))
                + ",\"protocol\":" + Json.quote(r.protocol())
                + ",\"status\":" + r.status()
                + ",\"bytes_in\":" + r.bytesIn()
                + ",\"bytes_out\":" + r.bytesOut()
                + ",\"duration_ms\":" + r.durationMillis()
                + ",\"upstream_status\":" + (r.upstreamStatus() == null ? "null" : r.upstreamStatus().toString())
                + "}";
    }
}
