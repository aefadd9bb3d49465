package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.testing.ForwardedRequests;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The gate with an access rules file in front of WireMock: what users and anonymous clients see. */
class GateAccessRulesTest {
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
        Path rules = Files.writeString(dir.resolve("access.conf"), String.join("\n",
                "allow " + TestGate.USER + " pull **",
                "allow anonymous pull public/**", ""));
        gate = wiremock.gate(dir, Map.of("access", rules.toString()));
        client = gate.client();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder as(String user, String password, String pathAndQuery) {
        return HttpRequest.newBuilder(gate.uri(pathAndQuery)).header("Authorization", TestGate.basic(user, password));
    }

    private List<LoggedRequest> forwarded() {
        return ForwardedRequests.seenBy(upstream);
    }

    @Test
    void aReadOnlyUserLogsInAndPulls() throws Exception {
        assertEquals(200, send(as(TestGate.USER, TestGate.PASSWORD, "/v2/")).statusCode());
        assertEquals(200, send(as(TestGate.USER, TestGate.PASSWORD, "/v2/team/app/manifests/1")).statusCode());
        assertEquals(2, forwarded().size());
    }

    @Test
    void aDeniedPushGets403WithTheRegistryEnvelopeAndNeverReachesTheRegistry() throws Exception {
        HttpResponse<String> r = send(as(TestGate.USER, TestGate.PASSWORD, "/v2/team/app/manifests/1")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertEquals(403, r.statusCode());
        assertEquals(List.of("registry/2.0"), r.headers().allValues(API_HEADER));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.headers().allValues("WWW-Authenticate").isEmpty(), "logging in again would not help");
        assertEquals("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\",\"detail\":["
                + "{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"pull\"},"
                + "{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"push\"}]}]}", r.body());
        assertEquals(0, forwarded().size());
    }

    @Test
    void anonymousPullOfAPublicRepositoryPassesWithoutCredentials() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(gate.uri("/v2/public/app/manifests/1")));
        // containers/image (skopeo --no-creds, podman) sends an empty Basic header instead of none
        HttpResponse<String> empty = send(HttpRequest.newBuilder(gate.uri("/v2/public/app/blobs/sha256:aa")).header("Authorization", "Basic Og=="));

        assertEquals(200, none.statusCode());
        assertEquals("from upstream", none.body());
        assertEquals(200, empty.statusCode());
        assertEquals(2, forwarded().size());
        forwarded().forEach(seen -> assertFalse(seen.containsHeader("Authorization")));
    }

    @Test
    void anonymousRequestsElsewhereGetTheChallengeSoClientsLogIn() throws Exception {
        for (String path : List.of("/v2/", "/v2/private/app/manifests/1")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(gate.uri(path)));
            assertEquals(401, r.statusCode(), path);
            assertEquals(List.of("Basic realm=\"Registry Realm\""), r.headers().allValues("WWW-Authenticate"), path);
            assertEquals(List.of("UNAUTHORIZED"), Json.errorCodes(r.body()), path);
        }
        HttpResponse<String> push = send(HttpRequest.newBuilder(gate.uri("/v2/public/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, push.statusCode(), "anonymous may pull public images, never push them");
        assertEquals(0, forwarded().size());
    }

    @Test
    void wrongCredentialsAreStill401EvenWhereAnonymousMayPull() throws Exception {
        HttpResponse<String> r = send(as(TestGate.USER, "wrong", "/v2/public/app/manifests/1"));
        assertEquals(401, r.statusCode());
        HttpResponse<String> garbage = send(HttpRequest.newBuilder(gate.uri("/v2/public/app/manifests/1")).header("Authorization", "Basic !!!"));
        assertEquals(401, garbage.statusCode());
        assertEquals(0, forwarded().size());
    }
}
