package io.portcullis.observe;

/** Turns one finished exchange into one access log line. Implementations never see headers beyond the record's. */
public interface AccessLogFormat {
    String format(ExchangeRecord record);

    /** The format named by {@code --log-format} (already validated by the settings loader). */
    static AccessLogFormat named(String name) {
        return switch (name) {
            case "json" -> new JsonLogFormat();
            case "combined" -> new CombinedLogFormat();
            default -> throw new IllegalArgumentException("unknown log format " + name);
        };
    }
}
