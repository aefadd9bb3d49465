package io.portcullis.observe;

/** Told about every exchange on the main listener: the access log and the metrics. Must not block. */
public interface ExchangeObserver {
    /** The request arrived (before any handler ran). */
    default void started() {
    }

    /** The exchange is over: response sent or connection gone. Called exactly once after {@link #started()}. */
    void completed(ExchangeRecord record);
}
