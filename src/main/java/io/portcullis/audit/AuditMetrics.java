package io.portcullis.audit;

import io.portcullis.config.AuditSettings;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;

/** The audit trail's metrics, registered on the gate's own registry (never the client's global one). */
final class AuditMetrics {
    private final Counter events;
    private final Counter deliveries;
    private final Counter dropped;

    AuditMetrics(PrometheusRegistry registry, Supplier<List<QueuedSink>> sinks) {
        events = Counter.builder().name("portcullis_audit_events")
                .help("Audit events made, by action").labelNames("action").withoutExemplars().register(registry);
        deliveries = Counter.builder().name("portcullis_audit_webhook_deliveries")
                .help("Webhook POSTs of audit events, by outcome (success; failure: retried later; rejected: 4xx, dropped)")
                .labelNames("outcome").withoutExemplars().register(registry);
        dropped = Counter.builder().name("portcullis_audit_dropped_events")
                .help("Audit events dropped, oldest first, because a sink's queue was full").labelNames("sink")
                .withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("portcullis_audit_queue_length")
                .help("Audit events waiting to be written or delivered, by sink").labelNames("sink")
                .callback(callback -> sinks.get().forEach(s -> callback.call(s.queued(), s.name())))
                .register(registry);
        for (String action : AuditSettings.ACTIONS) {
            events.labelValues(action);
        }
        for (String outcome : new String[] {"success", "failure", "rejected"}) {
            deliveries.labelValues(outcome);
        }
    }

    /** Shows the sink's dropped-events series at 0 from the start. */
    void sinkAdded(String sink) {
        dropped.labelValues(sink);
    }

    void event(String action) {
        events.labelValues(action).inc();
    }

    void delivery(String outcome) {
        deliveries.labelValues(outcome).inc();
    }

    void dropped(String sink) {
        dropped.labelValues(sink).inc();
    }
}
