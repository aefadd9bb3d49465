package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.config.SettingsLoader;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CORS for the listed origins only: preflights without credentials, exact origin with credentials, nothing for others. */
class CorsGateTest {
    private static final String UI = "https://ui.example:8443";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("{\"repositories\":[]}");

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder preflight(TestGate gate, String origin) {
        return HttpRequest.newBuilder(gate.uri("/v2/_catalog")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization");
    }

    private static HttpRequest.Builder authedGet(TestGate gate, String origin) {
        return HttpRequest.newBuilder(gate.uri("/v2/_catalog")).header("Origin", origin)
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
    }

    private static Optional<String> header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name);
    }

    @Test
    void aListedOriginGetsItsPreflightWithoutCredentialsAndReadsWithThem() throws Exception {
        TestGate gate = wiremock.gate(dir, Map.of("cors-origin", UI + ",https://other.example"));
        HttpClient client = gate.client();

        HttpResponse<String> pre = send(client, preflight(gate, UI));
        assertEquals(204, pre.statusCode());
        assertEquals(Optional.of(UI), header(pre, "Access-Control-Allow-Origin"));
        assertEquals(Optional.of("true"), header(pre, "Access-Control-Allow-Credentials"));
        assertTrue(header(pre, "Access-Control-Allow-Methods").orElse("").contains("PATCH"), pre.headers().toString());
        assertTrue(header(pre, "Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        assertEquals(0, wiremock.forwarded().size(), "a preflight is never forwarded");

        HttpResponse<String> get = send(client, authedGet(gate, UI));
        assertEquals(200, get.statusCode());
        assertEquals(List.of(UI), get.headers().allValues("Access-Control-Allow-Origin"), "exactly one, the exact origin");
        assertEquals(Optional.of("true"), header(get, "Access-Control-Allow-Credentials"));
        String exposed = header(get, "Access-Control-Expose-Headers").orElse("");
        for (String h : List.of("Docker-Content-Digest", "Link", "Location", "Range", "Docker-Upload-UUID", "WWW-Authenticate",
                "Docker-Distribution-Api-Version")) {
            assertTrue(exposed.contains(h), h + " not exposed: " + exposed);
        }
        assertTrue(get.headers().allValues("Vary").contains("Origin"), get.headers().toString());

        HttpResponse<String> noCredentials = send(client, HttpRequest.newBuilder(gate.uri("/v2/_catalog")).header("Origin", UI));
        assertEquals(401, noCredentials.statusCode(), "only the preflight skips authentication");
        assertEquals(Optional.of(UI), header(noCredentials, "Access-Control-Allow-Origin"), "the UI may read the challenge");
    }

    @Test
    void otherOriginsGetNoCorsHeaders() throws Exception {
        TestGate gate = wiremock.gate(dir, Map.of("cors-origin", UI));
        HttpClient client = gate.client();
        for (String origin : List.of("https://evil.example", "https://ui.example", "http://ui.example:8443", "null")) {
            HttpResponse<String> pre = send(client, preflight(gate, origin));
            assertEquals(401, pre.statusCode(), origin);
            HttpResponse<String> get = send(client, authedGet(gate, origin));
            for (HttpResponse<String> r : List.of(pre, get)) {
                assertTrue(r.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
                        origin + ": " + r.headers());
            }
        }
    }

    @Test
    void withoutTheSettingNothingChanges() throws Exception {
        TestGate gate = wiremock.gate(dir, Map.of());
        HttpResponse<String> get = send(gate.client(), authedGet(gate, UI));
        assertEquals(200, get.statusCode());
        assertEquals(Optional.empty(), header(get, "Access-Control-Allow-Origin"));
    }

    @Test
    void originsAreCheckedAtStart() {
        for (String bad : List.of("*", "https://ui.example/", "ui.example", "https://ui.example/path", "null")) {
            UserError e = assertThrows(UserError.class, () -> new SettingsLoader(Map.of("cors-origin", bad), Map.of(), dir).load(), bad);
            assertTrue(e.getMessage().startsWith("invalid --cors-origin value"), e.getMessage());
        }
        assertEquals(Set.of("https://ui.example", "http://b.example:8080"), new SettingsLoader(
                Map.of("cors-origin", "HTTPS://UI.example:443 http://b.example:8080"), Map.of(), dir).load().cors().origins());
    }
}
