package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** immutable rules at the gate: what is refused, what is forwarded, and that forwarded bytes are the checked ones. */
class ImmutableTagsGateTest {
    private static final String RULE = "immutable team/** tags v* except latest";
    private static final byte[] RELEASED = "{\"schemaVersion\":2,\"released\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "{\"schemaVersion\":2,\"released\":false}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    TestGate gate;
    HttpClient client;

    static String digest(byte[] body) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @BeforeEach
    void start() throws Exception {
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/v1")).atPriority(5)
                .willReturn(aResponse().withStatus(201)));
        wiremock.server.stubFor(head(urlPathEqualTo("/v2/team/app/manifests/v1")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Docker-Content-Digest", digest(RELEASED))));
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/manifests/v1")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Docker-Content-Digest", digest(RELEASED)).withBody(RELEASED)));
        // a protected multi-platform tag: an index naming its platform manifests
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/multi/manifests/v3")).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", "sha256:" + "1".repeat(64))
                .withBody("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + digest(OTHER) + "\",\"size\":2}]}")));
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/multi/tags/list"))
                .willReturn(aResponse().withStatus(200).withBody("{\"name\":\"team/multi\",\"tags\":[\"v3\"]}")));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/multi/manifests/" + digest(OTHER))).willReturn(aResponse().withStatus(202)));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/other/app/blobs/" + digest(OTHER))).willReturn(aResponse().withStatus(202)));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/" + digest(RELEASED))).willReturn(aResponse().withStatus(202)));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/" + digest(OTHER))).willReturn(aResponse().withStatus(202)));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/v2")).atPriority(5).willReturn(aResponse().withStatus(201)));
        wiremock.server.stubFor(head(urlPathEqualTo("/v2/team/app/manifests/v2")).atPriority(1).willReturn(aResponse().withStatus(404)));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/latest")).willReturn(aResponse().withStatus(201)));
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list"))
                .willReturn(aResponse().withStatus(200).withBody("{\"name\":\"team/app\",\"tags\":[\"latest\",\"v1\"]}")));
        Path rules = dir.resolve("access.conf");
        Files.writeString(rules, "allow * pull,push,delete **\n" + RULE + "\n");
        gate = wiremock.gate(dir, Map.of("access", rules.toString()));
        client = gate.client();
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<LoggedRequest> forwardedPuts() {
        return wiremock.forwarded().stream().filter(r -> r.getMethod().value().equals("PUT")).toList();
    }

    @Test
    void aProtectedTagCannotBeMovedButTheSameManifestMayBePushedAgain() throws Exception {
        HttpResponse<String> moved = send("PUT", "/v2/team/app/manifests/v1", HttpRequest.BodyPublishers.ofByteArray(OTHER));
        assertEquals(403, moved.statusCode());
        assertTrue(Json.errorCodes(moved.body()).equals(List.of("DENIED")) && moved.body().contains("tag v1 of team/app is immutable")
                && moved.body().contains("access rules line 2: '" + RULE.replace("*", "*") + "'"), moved.body());
        assertEquals(List.of(), forwardedPuts(), "nothing was forwarded");

        // a stream of unknown length: what reaches the registry is the checked bytes, with their length
        HttpResponse<String> again = send("PUT", "/v2/team/app/manifests/v1",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(RELEASED)));
        assertEquals(201, again.statusCode(), again.body());
        LoggedRequest forwarded = forwardedPuts().get(0);
        assertArrayEquals(RELEASED, forwarded.getBody());
        assertEquals(String.valueOf(RELEASED.length), forwarded.getHeader("Content-Length"));
    }

    @Test
    void newTagsAndUnprotectedTagsGoThrough() throws Exception {
        assertEquals(201, send("PUT", "/v2/team/app/manifests/v2", HttpRequest.BodyPublishers.ofByteArray(OTHER)).statusCode());
        assertEquals(201, send("PUT", "/v2/team/app/manifests/latest", HttpRequest.BodyPublishers.ofByteArray(OTHER)).statusCode());
        assertEquals(2, forwardedPuts().size());
        assertTrue(wiremock.forwarded().stream().noneMatch(r -> r.getUrl().endsWith("/manifests/latest") && r.getMethod().value().equals("HEAD")),
                "an unprotected tag is not asked about");
    }

    @Test
    void theManifestUnderAProtectedTagCannotBeDeleted() throws Exception {
        HttpResponse<String> refused = send("DELETE", "/v2/team/app/manifests/" + digest(RELEASED), HttpRequest.BodyPublishers.noBody());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("immutable tag v1 of team/app"), refused.body());
        assertEquals(403, send("DELETE", "/v2/team/app/manifests/v1", HttpRequest.BodyPublishers.noBody()).statusCode());
        assertEquals(202, send("DELETE", "/v2/team/app/manifests/" + digest(OTHER), HttpRequest.BodyPublishers.noBody()).statusCode());
        assertEquals(1, wiremock.forwarded().stream().filter(r -> r.getMethod().value().equals("DELETE")).count());
    }

    @Test
    void aPlatformManifestOfAProtectedIndexCannotBeDeleted() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v2/team/multi/manifests/" + digest(OTHER), HttpRequest.BodyPublishers.noBody());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("is part of the image the immutable tag v3 of team/multi points to"), r.body());
        assertEquals(0, wiremock.forwarded().stream().filter(q -> q.getMethod().value().equals("DELETE")).count());
    }

    @Test
    void blobsOfARepositoryWithProtectedTagsAreNotDeleted() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v2/team/app/blobs/" + digest(OTHER), HttpRequest.BodyPublishers.noBody());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("blobs of team/app cannot be deleted"), r.body());
        assertEquals(202, send("DELETE", "/v2/other/app/blobs/" + digest(OTHER), HttpRequest.BodyPublishers.noBody()).statusCode(),
                "elsewhere blob deletes pass");
        assertEquals(1, wiremock.forwarded().stream().filter(q -> q.getMethod().value().equals("DELETE")).count());
    }

    @Test
    void aManifestAboveTheRegistrysLimitIsRefusedUnread() throws Exception {
        // a raw request: the answer comes before the body is sent, which an HTTP client would not wait to read
        try (SSLSocket socket = (SSLSocket) gate.clientTls().getSocketFactory().createSocket("127.0.0.1", gate.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("PUT /v2/team/app/manifests/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + TestGate.basic(TestGate.USER, TestGate.PASSWORD) + "\r\nContent-Length: " + (4 * 1024 * 1024 + 1)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("MANIFEST_INVALID"), answer);
        }
        assertEquals(List.of(), forwardedPuts());
    }
}
