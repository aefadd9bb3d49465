package io.portcullis.server;

import io.portcullis.testing.Poll;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.auth.Htpasswd;
import io.portcullis.observe.Readiness;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /livez, /readyz and /metrics as an orchestrator and Prometheus see them: a gate in this JVM in front of WireMock,
 * with the admin listener on. State that changes in the background (the readiness probe, counters updated as an
 * exchange completes) is polled for, with a bound, never slept on.
 */
class HealthAndMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;
    HttpClient plain;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        gate = wiremock.gate(dir, Map.of("admin-listen", "127.0.0.1:0"));
        client = gate.client();
        plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> send(HttpClient c, HttpRequest.Builder request) throws Exception {
        return c.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> main(String path) throws Exception {
        return send(client, HttpRequest.newBuilder(gate.uri(path)));
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + gate.gate.adminAddress().orElseThrow().getPort() + path);
    }

    private HttpRequest.Builder authed(String path) {
        return HttpRequest.newBuilder(gate.uri(path)).header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
    }

    /** Asks until the answer satisfies {@code until}, for at most {@link #PATIENCE}; returns the last answer. */
    private HttpResponse<String> poll(URI uri, HttpClient c, Predicate<HttpResponse<String>> until) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        HttpResponse<String> r = send(c, HttpRequest.newBuilder(uri));
        while (!until.test(r) && System.nanoTime() < deadline) {
            Poll.pause(50); // polling interval, not synchronisation: the loop ends on the observed state
            r = send(c, HttpRequest.newBuilder(uri));
        }
        return r;
    }

    private List<LoggedRequest> upstreamSaw() {
        return upstream.findAll(anyRequestedFor(anyUrl()));
    }

    @Test
    void livezAnswersWithoutCredentialsOnBothListeners() throws Exception {
        HttpResponse<String> r = main("/livez");
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"ok\"}", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        assertEquals("{\"status\":\"ok\"}", send(plain, HttpRequest.newBuilder(admin("/livez"))).body());
    }

    @Test
    void readyzIsReadyWhenTheRegistryAnswers401AndNotReadyOnceItStops() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"inner\"")));

        HttpResponse<String> ready = poll(gate.uri("/readyz"), client, r -> r.statusCode() == 200);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode readiness = Json.read(ready.body());
        assertEquals("ready", readiness.path("status").asText(), ready.body());
        assertEquals("loaded", readiness.path("certificate").asText(), ready.body());

        int registryPort = upstream.port();
        upstream.stop();
        HttpResponse<String> down = poll(gate.uri("/readyz"), client, r -> r.statusCode() == 503);
        assertEquals(503, down.statusCode(), down.body());
        JsonNode notReady = Json.read(down.body());
        assertEquals("not ready", notReady.path("status").asText(), down.body());
        assertFalse(notReady.path("reason").asText().isEmpty(), down.body());
        // answered without credentials, and telling nothing about where the registry is
        assertFalse(down.body().contains("127.0.0.1") || down.body().contains(String.valueOf(registryPort)), down.body());
        assertEquals(503, send(plain, HttpRequest.newBuilder(admin("/readyz"))).statusCode());
    }

    @Test
    void readyzIsReadyWhenTheRegistryAnswers200() throws Exception {
        HttpResponse<String> r = poll(admin("/readyz"), plain, x -> x.statusCode() == 200);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("answered 200", Json.read(r.body()).path("upstream").asText(), r.body());
    }

    @Test
    void readyzIsNotReadyWhileTheRegistryAnswersWithAnError() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/")).willReturn(aResponse().withStatus(500)));
        // the probe runs at least once within the patience; a 500 must never count as ready
        HttpResponse<String> r = poll(gate.uri("/readyz"), client, x -> x.body().contains("answered 500"));
        assertEquals(503, r.statusCode(), r.body());
    }

    @Test
    void healthPathsAreNeverForwardedAndOnlyTheExactPathsAreAnswered() throws Exception {
        poll(gate.uri("/readyz"), client, r -> r.statusCode() == 200);
        assertEquals(200, main("/livez").statusCode());
        assertEquals(200, main("/readyz?verbose=1").statusCode());
        assertEquals(200, send(client, HttpRequest.newBuilder(gate.uri("/readyz")).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode());
        // anything else is registry path space, where the registry's router answers 404 for these, to anybody
        assertEquals(404, main("/livez/").statusCode());
        assertEquals(404, main("/readyz/x").statusCode());
        assertEquals(404, send(client, HttpRequest.newBuilder(gate.uri("/livez")).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(404, main("/metrics").statusCode(), "metrics are served on the admin listener only");

        for (LoggedRequest seen : upstreamSaw()) {
            assertEquals("/v2/", seen.getUrl(), "only the readiness probe may reach the registry");
            assertEquals("GET", seen.getMethod().getName());
            assertEquals(Readiness.USER_AGENT, seen.getHeader("User-Agent"));
        }
    }

    @Test
    void adminListenerServesNothingButHealthAndMetrics() throws Exception {
        assertEquals(404, send(plain, HttpRequest.newBuilder(admin("/v2/"))).statusCode());
    }

    @Test
    void metricsCountWhatClientsDid() throws Exception {
        byte[] layer = new byte[100_000];
        upstream.stubFor(get(urlEqualTo("/v2/team/app/blobs/sha256:aa")).willReturn(aResponse().withStatus(200)
                .withBody(new byte[54_321])));

        HttpResponse<String> challenge = main("/v2/");
        HttpResponse<String> wrong = send(client, HttpRequest.newBuilder(gate.uri("/v2/"))
                .header("Authorization", TestGate.basic(TestGate.USER, "wrong")));
        HttpResponse<String> first = send(client, authed("/v2/"));
        HttpResponse<String> blob = send(client, authed("/v2/team/app/blobs/sha256:aa"));
        // chunked, no Content-Length: bytes in must be counted as they are read
        HttpResponse<String> upload = send(client, authed("/v2/team/app/blobs/uploads/u1").method("PATCH",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(layer))));
        assertEquals(401, challenge.statusCode());
        assertEquals(401, wrong.statusCode());
        assertEquals(200, first.statusCode());
        assertEquals(200, blob.statusCode());
        assertEquals(200, upload.statusCode());
        assertEquals(layer.length, upstream.findAll(anyRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/u1")))
                .get(0).getBody().length);
        long bodiesReceived = challenge.body().length() + wrong.body().length() + first.body().length()
                + 54_321 + upload.body().length();

        String text = pollMetrics(m -> value(m, "portcullis_requests_total{method=\"GET\",status_class=\"2xx\"}") == 2
                && value(m, "portcullis_requests_in_flight") == 0).body();

        assertEquals(2, value(text, "portcullis_requests_total{method=\"GET\",status_class=\"4xx\"}"));
        assertEquals(1, value(text, "portcullis_requests_total{method=\"PATCH\",status_class=\"2xx\"}"));
        assertEquals(layer.length, value(text, "portcullis_request_body_bytes_total"));
        assertEquals(bodiesReceived, value(text, "portcullis_response_body_bytes_total"));
        assertEquals(5, value(text, "portcullis_request_duration_seconds_count"));
        assertEquals(5, value(text, "portcullis_request_duration_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(3, value(text, "portcullis_auth_total{outcome=\"success\"}"));
        assertEquals(1, value(text, "portcullis_auth_total{outcome=\"failure\"}"));
        assertEquals(1, value(text, "portcullis_auth_total{outcome=\"challenge\"}"));
        // the wrong password and the first right one needed bcrypt; the next two were remembered
        assertEquals(2, value(text, "portcullis_auth_cache_total{result=\"miss\"}"));
        assertEquals(2, value(text, "portcullis_auth_cache_total{result=\"hit\"}"));
        assertEquals(1, value(text, "portcullis_htpasswd_users"));
        assertEquals(gate.certificate.getNotAfter().getTime() / 1000.0,
                value(text, "portcullis_certificate_expiry_timestamp_seconds"));
    }

    @Test
    void upstreamFailuresAreCountedByTheStatusTheGateAnswered() throws Exception {
        upstream.stop();
        assertEquals(503, send(client, authed("/v2/")).statusCode());

        String text = pollMetrics(m -> value(m, "portcullis_upstream_errors_total{status=\"503\"}") == 1).body();
        assertEquals(1, value(text, "portcullis_upstream_errors_total{status=\"503\"}"));
    }

    @Test
    void htpasswdReloadsAndReadinessShowInTheScrape() throws Exception {
        // what the htpasswd reloader does: the metrics read the users and the reloads from the authenticator
        Path three = Files.writeString(dir.resolve("three-users"), "a:" + TestGate.hashOf("pw") + "\nb:" + TestGate.hashOf("pw")
                + "\nc:" + TestGate.hashOf("pw") + "\n");
        gate.portcullis.authenticator().replaceUsers(Htpasswd.load(three));

        String text = pollMetrics(m -> value(m, "portcullis_ready") == 1).body();
        assertEquals(1, value(text, "portcullis_ready"));
        assertEquals(3, value(text, "portcullis_htpasswd_users"));
        assertEquals(1, value(text, "portcullis_htpasswd_reloads_total"));
    }

    @Test
    void scrapeIsPrometheusTextFormat() throws Exception {
        main("/livez");
        HttpResponse<String> r = pollMetrics(m -> m.contains("portcullis_requests_total{"));

        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        assertTrue(r.body().contains("# TYPE portcullis_requests_total counter"), r.body());
        assertTrue(r.body().contains("# TYPE portcullis_request_duration_seconds histogram"), r.body());
        assertTrue(r.body().contains("# HELP portcullis_requests_in_flight "), r.body());
    }

    private HttpResponse<String> pollMetrics(Predicate<String> until) throws Exception {
        return poll(admin("/metrics"), plain, r -> until.test(r.body()));
    }

    /** The value of one series in a scrape, or NaN when absent. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
