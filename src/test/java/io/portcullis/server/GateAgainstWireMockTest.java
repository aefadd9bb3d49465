package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.testing.ForwardedRequests;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gate in this JVM in front of WireMock: what the client sees and what the upstream receives. */
class GateAgainstWireMockTest {
    private static final String API_HEADER = "Docker-Distribution-Api-Version";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        gate = wiremock.gate(dir, Map.of());
        client = gate.client();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(java.time.Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<LoggedRequest> forwarded() {
        return ForwardedRequests.seenBy(upstream);
    }

    private HttpRequest.Builder authed(String pathAndQuery) {
        return HttpRequest.newBuilder(gate.uri(pathAndQuery)).header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
    }

    @Test
    void withoutCredentialsTheRegistryChallengeIsAnsweredAndNothingIsForwarded() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(gate.uri("/v2/")));

        assertEquals(401, r.statusCode());
        assertEquals(List.of("Basic realm=\"Registry Realm\""), r.headers().allValues("WWW-Authenticate"));
        assertEquals(List.of("registry/2.0"), r.headers().allValues(API_HEADER));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}", r.body());
        assertEquals(0, forwarded().size());
    }

    @Test
    void challengeOnARepositoryPathNamesTheRequestedAccessLikeTheRegistry() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(gate.uri("/v2/team/app/blobs/uploads/?mount=sha256:abc&from=base/img"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertEquals(401, r.statusCode());
        assertEquals("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":["
                + "{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"pull\"},"
                + "{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"push\"},"
                + "{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"base/img\",\"Action\":\"pull\"}]}]}", r.body());
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAlike() throws Exception {
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", TestGate.basic(TestGate.USER, "nope")));
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", TestGate.basic("mallory", TestGate.PASSWORD)));

        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals(wrong.body(), unknown.body());
        assertEquals(wrong.headers().allValues("WWW-Authenticate"), unknown.headers().allValues("WWW-Authenticate"));
        assertEquals(0, forwarded().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!not-base64!!!", "Basic " + "bm9jb2xvbg==" /* "nocolon" */, "Bearer abc.def.ghi",
            "Basic ", "Basic", "Digest username=\"alice\"", "basic Og==" /* ":" empty user */})
    void malformedAuthorizationGets401NotAServerError(String header) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", header));

        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("UNAUTHORIZED"));
        assertEquals(0, forwarded().size());
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenIfOneIsValid() throws Exception {
        HttpResponse<String> r = send(authed("/v2/").header("Authorization", TestGate.basic("mallory", "x")));

        assertEquals(401, r.statusCode());
        assertEquals(0, forwarded().size());
    }

    @Test
    void schemeNameIsCaseInsensitive() throws Exception {
        String value = TestGate.basic(TestGate.USER, TestGate.PASSWORD).replace("Basic", "bAsIc");
        HttpResponse<String> r = send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", value));

        assertEquals(200, r.statusCode());
    }

    @Test
    void validCredentialsReachTheUpstreamWithoutThePasswordAndWithTheGatesForwardingHeaders() throws Exception {
        HttpResponse<String> r = send(authed("/v2/")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Port", "1")
                .header("Forwarded", "host=evil.example;proto=http"));

        assertEquals(200, r.statusCode());
        assertEquals("from upstream", r.body());
        LoggedRequest seen = forwarded().get(0);
        assertFalse(seen.containsHeader("Authorization"), "the registry must never see the password");
        assertFalse(seen.containsHeader("Forwarded"));
        assertEquals("127.0.0.1:" + gate.port(), seen.getHeader("Host"));
        assertEquals(List.of("127.0.0.1:" + gate.port()), seen.header("X-Forwarded-Host").values());
        assertEquals(List.of("https"), seen.header("X-Forwarded-Proto").values());
        assertEquals(List.of("127.0.0.1"), seen.header("X-Forwarded-For").values());
        assertEquals(List.of(String.valueOf(gate.port())), seen.header("X-Forwarded-Port").values());
    }

    @Test
    void apiVersionHeaderAppearsOnceWhetherOrNotTheUpstreamSendsIt() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/with/tags/list")).willReturn(aResponse().withStatus(200).withHeader(API_HEADER, "registry/2.0")));
        upstream.stubFor(get(urlEqualTo("/v2/without/tags/list")).willReturn(aResponse().withStatus(200)));

        assertEquals(List.of("registry/2.0"), send(authed("/v2/with/tags/list")).headers().allValues(API_HEADER));
        assertEquals(List.of("registry/2.0"), send(authed("/v2/without/tags/list")).headers().allValues(API_HEADER));
    }

    @Test
    void rawPathAndQueryReachTheUpstreamByteForByte() throws Exception {
        // an upload id with an encoded '/' is refused (see RequestParserTest); the query still passes as sent
        String pathAndQuery = "/v2/team/sub/app/blobs/uploads/5b1c-x?_state=aGVsbG8%3D%3D&digest=sha256%3A0123abcd&x=a+b";
        send(authed(pathAndQuery).PUT(HttpRequest.BodyPublishers.ofString("layer")));

        LoggedRequest seen = forwarded().get(0);
        assertEquals(pathAndQuery, seen.getUrl());
        assertEquals("layer", seen.getBodyAsString());
    }

    @Test
    void upstreamErrorsPassThroughUntouched() throws Exception {
        String registryError = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}}]}";
        upstream.stubFor(get(urlEqualTo("/v2/x/manifests/missing")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(registryError)));

        HttpResponse<String> r = send(authed("/v2/x/manifests/missing"));

        assertEquals(404, r.statusCode());
        assertEquals(registryError, r.body());
        assertEquals(List.of("registry/2.0"), r.headers().allValues(API_HEADER));
    }

    @Test
    void redirectsAndLocationsFromTheUpstreamAreNotRewritten() throws Exception {
        upstream.stubFor(get(urlEqualTo("/v2/x/blobs/sha256:aa")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "https://storage.example/bucket/aa?sig=1")));

        HttpResponse<String> r = send(authed("/v2/x/blobs/sha256:aa"));

        assertEquals(307, r.statusCode());
        assertEquals("https://storage.example/bucket/aa?sig=1", r.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void unreachableUpstreamGives503WithTheRegistryErrorBody() throws Exception {
        upstream.stop();

        HttpResponse<String> r = send(authed("/v2/"));

        assertEquals(503, r.statusCode());
        assertEquals(List.of("registry/2.0"), r.headers().allValues(API_HEADER));
        assertEquals(List.of("UNAVAILABLE"), Json.errorCodes(r.body()), r.body());
    }

    @Test
    void connectTimeoutBoundsAnUpstreamThatNeverAccepts() throws Exception {
        // A listening socket whose backlog is full stands in for a host that drops SYNs; the gate in front of it is
        // started here, not by WireMockGate, whose gates all forward to WireMock.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             TestGate slow = TestGate.start(dir.resolve("slow-dir").toFile().mkdirs() ? dir.resolve("slow-dir") : dir,
                     Map.of("upstream", "http://127.0.0.1:" + full.getLocalPort(), "connect-timeout", "300ms"))) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket();
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", full.getLocalPort()), 200);
                    fillers.add(s);
                }
            } catch (java.io.IOException backlogFull) {
                // expected once the backlog is full
            }
            HttpResponse<String> r = slow.client().send(HttpRequest.newBuilder(slow.uri("/v2/"))
                    .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                    .timeout(java.time.Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            for (java.net.Socket s : fillers) {
                s.close();
            }
            assertTrue(r.statusCode() == 503 || r.statusCode() == 504, "status " + r.statusCode());
            assertTrue(r.body().contains("UNAVAILABLE"), r.body());
        }
    }

    @Test
    void anUnauthenticatedUploadIsRefusedWithoutReadingItsBody() throws Exception {
        try (SSLSocket socket = (SSLSocket) gate.clientTls().getSocketFactory().createSocket("127.0.0.1", gate.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // announce 1 GiB, send only the headers: the gate must answer without waiting for the body
            out.write(("PUT /v2/team/app/blobs/uploads/x?digest=sha256:00 HTTP/1.1\r\nHost: 127.0.0.1:" + gate.port()
                    + "\r\nContent-Length: 1073741824\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 401 Unauthorized", in.readLine());
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertTrue(headers.contains("connection: close"), headers.toString());
        }
        assertEquals(0, forwarded().size());
    }
}
