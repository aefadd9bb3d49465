package io.portcullis.observe;

import io.portcullis.base.LogText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Apache/nginx "combined" format, which log shippers and goaccess already parse, with the duration appended:
 * {@code client - user [time] "METHOD path PROTO" status bytes "referer" "user-agent" 12ms}.
 * Unlike Apache, the request line carries the path without its query string (upload state tokens are long and
 * say nothing to an operator), and the referer loses its query too.
 */
public final class CombinedLogFormat implements AccessLogFormat {
    private final DateTimeFormatter time;
    /**
     * The last second formatted. The timestamp has whole seconds and a busy gate logs hundreds of lines per second:
     * DateTimeFormatter cost more per line than the rest of the line (its samples under load, bench/small-probe --jfr), so each
     * second is formatted once. Racing threads at most format the same second twice.
     */
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

    private record Stamp(long epochSecond, String text) {
    }

    public CombinedLogFormat() {
        this(ZoneId.systemDefault());
    }

    /** @param zone the zone the timestamps are written in (tests pin it) */
    public CombinedLogFormat(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(zone);
    }

    @Override
    public String format(ExchangeRecord r) {
        return r.client()
                + " - " + (r.user() == null ? "-" : field(r.user()))
                + " [" + timestamp(r.time()) + "]"
                + " \"" + r.method() + " " + LogText.printable(r.path()) + " " + r.protocol() + "\""
                + " " + r.status()
                // like Apache's %b: "-" when no body was sent
                + " " + (r.bytesOut() == 0 ? "-" : Long.toString(r.bytesOut()))
                + " \"" + (r.referer() == null ? "-" : LogText.printable(withoutQuery(r.referer()))) + "\""
                + " \"" + (r.userAgent() == null ? "-" : LogText.printable(r.userAgent())) + "\""
                + " " + r.durationMillis() + "ms";
    }

    private String timestamp(Instant instant) {
        Stamp stamp = last;
        if (stamp.epochSecond() != instant.getEpochSecond()) {
            stamp = new Stamp(instant.getEpochSecond(), time.format(instant));
            last = stamp;
        }
        return stamp.text();
    }

    /** The user is an unquoted field: a space in it would shift every field after it for a parser. */
    private static String field(String s) {
        return LogText.printable(s).replace(' ', '?');
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
