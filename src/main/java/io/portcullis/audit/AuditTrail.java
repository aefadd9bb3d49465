package io.portcullis.audit;

import io.portcullis.base.UserError;
import io.portcullis.config.AuditSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.portcullis.token.Token;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who did what: the events the gate makes from finished exchanges ({@link EventMaker}) and the sinks they go to
 * (the {@link AuditLogFile}, one {@link WebhookSink} per receiver). Nothing here runs on a request's path but the
 * making of the event and queueing it.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final EventMaker maker;
    private final List<QueuedSink> sinks = new CopyOnWriteArrayList<>();
    private final AuditMetrics metrics;
    private AuditLogFile file;

    private AuditTrail(AuditSettings settings, PrometheusRegistry registry) {
        this.maker = new EventMaker(settings.actions());
        this.metrics = new AuditMetrics(registry, () -> sinks);
    }

    /** The running trail, or empty when no sink is configured (then no event is ever made). */
    public static Optional<AuditTrail> start(AuditSettings settings, PrometheusRegistry registry) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        AuditTrail trail = new AuditTrail(settings, registry);
        if (settings.log().isPresent()) {
            trail.file = new AuditLogFile(settings.log().get(), settings.queue(), trail.metrics);
            try {
                trail.file.open();
            } catch (IOException e) {
                throw new UserError("cannot open the audit log " + settings.log().get() + " for appending: " + e.getMessage());
            }
            trail.sinks.add(trail.file);
        }
        Optional<Signature> signature = settings.webhookSecretFile().map(AuditTrail::readSecret);
        for (URI url : settings.webhooks()) {
            trail.sinks.add(new WebhookSink(trail.sinks.size() + (trail.file == null ? 1 : 0), url, signature,
                    settings.queue(), trail.metrics));
        }
        for (QueuedSink sink : trail.sinks) {
            trail.metrics.sinkAdded(sink.name());
            sink.start();
        }
        LOG.info("Audit trail of {} to {}{}", String.join(",", settings.actions()),
                String.join(", ", trail.sinks.stream().map(s -> s == trail.file ? "file " + settings.log().get() : s.name()).toList()),
                signature.isPresent() ? " (webhooks signed)" : "");
        return Optional.of(trail);
    }

    private static Signature readSecret(Path file) {
        try {
            String secret = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            if (secret.isEmpty()) {
                throw new UserError("the webhook secret file " + file + " is empty; put the secret on its first line");
            }
            return Signature.ofSecret(secret);
        } catch (IOException e) {
            throw new UserError("cannot read the webhook secret file " + file + ": " + e.getMessage());
        }
    }

    /** The handler that reports each finished exchange to this trail; place it right after the parse. */
    public HttpHandler handler(HttpHandler next) {
        return new AuditHandler(this, next);
    }

    void completed(HttpServerExchange exchange) {
        try {
            maker.eventFor(exchange).ifPresent(this::record);
        } catch (RuntimeException e) {
            // an audit bug must not break the exchange's completion (and the connection with it)
            LOG.warn("making an audit event failed", e);
        }
    }

    /** A token created, rotated or revoked (see {@link EventMaker#tokenEvent}); its owner goes in as the token's. */
    public void tokenChanged(String action, Token token, String actor) {
        record(maker.tokenEvent(action, token, actor));
    }

    private void record(AuditEvent event) {
        metrics.event(event.action());
        String json = event.toJson();
        for (QueuedSink sink : sinks) {
            sink.accept(json);
        }
    }

    /** The audit log was rotated (SIGHUP): continue in a new file of the same name. */
    public void reopen() {
        if (file != null) {
            file.reopen();
        }
    }

    /** Writes and delivers what is queued for up to {@code timeout} in all (the drain); true when all went out. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (QueuedSink sink : sinks) {
            all &= sink.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return all;
    }

    @Override
    public void close() {
        sinks.forEach(QueuedSink::close);
    }
}
