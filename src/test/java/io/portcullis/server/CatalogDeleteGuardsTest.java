package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.maintenance.DirectoryMaintenanceStore;
import io.portcullis.state.StateDirectory;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The web catalog's delete button obeys the maintenance switch and the immutable tags like a DELETE through the API. */
class CatalogDeleteGuardsTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    HttpClient client;

    @BeforeEach
    void stubs() {
        for (String tag : new String[] {"v1", "dev"}) {
            wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/manifests/" + tag)).willReturn(aResponse().withStatus(200)
                    .withHeader("Docker-Content-Digest", DIGEST).withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .withBody("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + DIGEST + "\",\"size\":2},\"layers\":[]}")));
        }
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/v1")).atPriority(9).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", DIGEST)));
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list"))
                .willReturn(aResponse().withStatus(200).withBody("{\"name\":\"team/app\",\"tags\":[\"dev\",\"v1\"]}")));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/" + DIGEST)).willReturn(aResponse().withStatus(202)));
    }

    private TestGate gate(String rules) throws Exception {
        Path file = dir.resolve("access.conf");
        Files.writeString(file, "allow * pull,push,delete **\n" + rules);
        TestGate gate = wiremock.gate(dir, Map.of("access", file.toString()));
        client = gate.client();
        return gate;
    }

    private HttpRequest.Builder request(TestGate gate, String path) {
        return HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
    }

    /** Opens the confirmation page of team/app:dev and sends its form, as the browser would. */
    private HttpResponse<String> deleteThroughTheCatalog(TestGate gate) throws Exception {
        HttpResponse<String> confirm = client.send(request(gate, "/ui/delete?name=team/app&tag=dev").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, confirm.statusCode(), confirm.body());
        Matcher csrf = CSRF.matcher(confirm.body());
        assertTrue(csrf.find(), confirm.body());
        String form = "name=team%2Fapp&digest=" + URLEncoder.encode(DIGEST, StandardCharsets.UTF_8) + "&csrf="
                + URLEncoder.encode(csrf.group(1).replace("&#61;", "="), StandardCharsets.UTF_8);
        return client.send(request(gate, "/ui/delete").header("Origin", "https://127.0.0.1:" + gate.port())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long deletesForwarded() {
        return wiremock.forwarded().stream().filter(r -> r.getMethod().value().equals("DELETE")).count();
    }

    @Test
    void theManifestUnderAnImmutableTagIsNotDeleted() throws Exception {
        TestGate gate = gate("immutable team/** tags v*\n");
        HttpResponse<String> r = deleteThroughTheCatalog(gate);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("immutable tag v1 of team/app"), r.body());
        assertEquals(0, deletesForwarded());
    }

    @Test
    void nothingIsDeletedDuringMaintenanceAndEveryPageSaysSo() throws Exception {
        TestGate gate = gate("");
        new DirectoryMaintenanceStore(StateDirectory.open(gate.settings.stateDir())).switchOn(Instant.now());
        gate.gate.maintenance().refresh();
        HttpResponse<String> r = deleteThroughTheCatalog(gate);
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("The registry is in maintenance: deletes are refused"), r.body());
        assertTrue(r.body().contains("class=\"maintenance\""), "the banner: " + r.body());
        assertEquals(0, deletesForwarded());
    }

    @Test
    void otherwiseTheDeleteGoesThrough() throws Exception {
        TestGate gate = gate("immutable team/** tags release-*\n");
        HttpResponse<String> r = deleteThroughTheCatalog(gate);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, deletesForwarded());
    }
}
