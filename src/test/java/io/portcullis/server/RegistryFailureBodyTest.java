package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A registry 5xx reaches the client as a plain registry error with a request id, without the registry's internals. */
class RegistryFailureBodyTest {
    /** What docker-registry 2.8.2 answered, measured, to a tags list it could not read. */
    private static final String INTERNALS = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error\",\"detail\":{\"Path\":"
            + "\"/docker/registry/v2/repositories/team/app/_manifests/tags\",\"DriverName\":\"filesystem\"}}]}";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        gate = wiremock.gate(dir, Map.of());
        client = gate.client();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRegistry500WithStoragePathsReachesTheClientWithoutThem() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/team/app/tags/list")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json; charset=utf-8").withHeader("Docker-Distribution-Api-Version", "registry/2.0")
                .withBody(INTERNALS)));

        HttpResponse<String> r = send("GET", "/v2/team/app/tags/list");

        assertEquals(500, r.statusCode());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        assertEquals("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error (request id " + id
                + "; the gate's log has the registry's details)\",\"detail\":{\"request_id\":\"" + id + "\"}}]}", r.body());
        assertFalse(r.body().contains("DriverName") || r.body().contains("/docker/registry"), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(List.of("registry/2.0"), r.headers().allValues("Docker-Distribution-Api-Version"));
    }

    @Test
    void aLongChunkedFailureBodyIsReadThroughAndReplacedAndTheConnectionStaysUsable() throws Exception {
        String big = "x".repeat(3_000_000);
        upstream.stubFor(get(urlEqualTo("/v2/team/app/blobs/sha256:" + "a".repeat(64))).willReturn(aResponse().withStatus(503)
                .withChunkedDribbleDelay(5, 50).withBody(big)));
        upstream.stubFor(get(urlEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withBody("{}")));

        HttpResponse<String> r = send("GET", "/v2/team/app/blobs/sha256:" + "a".repeat(64));

        assertEquals(503, r.statusCode());
        assertTrue(r.body().startsWith("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable (request id "), r.body());
        assertEquals(String.valueOf(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                r.headers().firstValue("Content-Length").orElse(""));
        assertEquals(200, send("GET", "/v2/").statusCode(), "the next request on the same client works");
    }

    @Test
    void theRegistrysOwn4xxBodiesAndA5xxToHeadPassUntouched() throws Exception {
        String unknown = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"v9\"}}]}";
        upstream.stubFor(get(urlEqualTo("/v2/team/app/manifests/v9")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(unknown)));
        upstream.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1")).willReturn(aResponse().withStatus(500)));

        HttpResponse<String> r = send("GET", "/v2/team/app/manifests/v9");
        assertEquals(404, r.statusCode());
        assertEquals(unknown, r.body());
        assertTrue(r.headers().firstValue("X-Request-Id").isEmpty());

        HttpResponse<String> h = send("HEAD", "/v2/team/app/manifests/v1");
        assertEquals(500, h.statusCode());
        assertEquals("", h.body());
    }
}
