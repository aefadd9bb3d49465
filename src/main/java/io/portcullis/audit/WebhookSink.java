package io.portcullis.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs batches of events to one receiver in the registry's notification envelope, signed when a secret is set.
 * A connection failure, a timeout or a 5xx keeps the batch for a retry with backoff; a 4xx drops it (the receiver will
 * not take it however often it is sent), with a warning. Uses the JDK's HTTP client: no dependency for one POST.
 */
final class WebhookSink extends QueuedSink {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    static final int BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final Optional<Signature> signature;
    private final AuditMetrics metrics;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param number the webhook's place in the setting, from 1: with the host, its name in logs and metric labels
     *               (never the path or query, which often hold the receiver's secret token, as chat webhooks do)
     */
    WebhookSink(int number, URI url, Optional<Signature> signature, int bound, AuditMetrics metrics) {
        super("webhook " + number + " " + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""), bound, BATCH, metrics);
        this.url = url;
        this.signature = signature;
        this.metrics = metrics;
    }

    @Override
    Outcome deliver(List<String> events) {
        byte[] body = AuditEvent.envelope(events).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", AuditEvent.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signature.ifPresent(s -> request.header(Signature.HEADER, s.sign(body)));
        int status;
        try {
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            metrics.delivery("failure");
            LOG.debug("{}: {}", name(), e.toString());
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        }
        if (status >= 200 && status < 300) {
            metrics.delivery("success");
            return Outcome.DELIVERED;
        }
        if (status >= 500 || status == 429 || status == 408) {
            metrics.delivery("failure");
            return Outcome.RETRY;
        }
        metrics.delivery("rejected");
        LOG.warn("{} refused {} audit events with {}: dropped", name(), events.size(), status);
        return Outcome.REJECTED;
    }
}
