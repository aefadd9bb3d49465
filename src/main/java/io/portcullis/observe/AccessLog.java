package io.portcullis.observe;

import java.util.function.Consumer;

/**
 * Writes one line per exchange, in the format chosen by --log-format, to standard output, while the gate's
 * own messages go to standard error through slf4j. The split is the one nginx images use: a log shipper reads
 * stdout as pure access lines (a JSON line stays parseable without a logger's prefix), and operators read
 * stderr for what went wrong.
 */
public final class AccessLog implements ExchangeObserver {
    private final AccessLogFormat format;
    private final Consumer<String> sink;

    /**
     * @param sink receives each finished line, on the IO thread that finished the exchange: it must not block
     *             ({@link AsyncLineWriter} in the gate; tests collect the lines)
     */
    public AccessLog(AccessLogFormat format, Consumer<String> sink) {
        this.format = format;
        this.sink = sink;
    }

    @Override
    public void completed(ExchangeRecord record) {
        sink.accept(format.format(record));
    }
}
