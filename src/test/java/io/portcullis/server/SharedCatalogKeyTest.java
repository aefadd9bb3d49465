package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisGates;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web catalog delete confirmed on one gate and posted through another, as a load balancer may send the two
 * requests: accepted when the gates share a Redis (one signing key), refused when each has its own.
 */
@NeedsTools("redis-server")
class SharedCatalogKeyTest {
    private static final String DIGEST = "sha256:" + "b".repeat(64);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();

    @BeforeEach
    void stubs() {
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/manifests/dev")).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", DIGEST).withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .withBody("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + DIGEST + "\",\"size\":2},\"layers\":[]}")));
        wiremock.server.stubFor(get(urlPathEqualTo("/v2/team/app/tags/list"))
                .willReturn(aResponse().withStatus(200).withBody("{\"name\":\"team/app\",\"tags\":[\"dev\"]}")));
        wiremock.server.stubFor(any(urlPathEqualTo("/v2/team/app/manifests/" + DIGEST)).willReturn(aResponse().withStatus(202)));
    }

    private static HttpRequest.Builder request(TestGate gate, String path) {
        return HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
    }

    /** The confirmation page from {@code confirmOn}, its form posted to {@code postTo} (its own origin, as behind one name). */
    private static HttpResponse<String> confirmOnOnePostToAnother(TestGate confirmOn, TestGate postTo) throws Exception {
        HttpResponse<String> confirm = confirmOn.client().send(request(confirmOn, "/ui/delete?name=team/app&tag=dev").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, confirm.statusCode(), confirm.body());
        Matcher csrf = CSRF.matcher(confirm.body());
        assertTrue(csrf.find(), confirm.body());
        String form = "name=team%2Fapp&digest=" + URLEncoder.encode(DIGEST, StandardCharsets.UTF_8) + "&csrf="
                + URLEncoder.encode(csrf.group(1).replace("&#61;", "="), StandardCharsets.UTF_8);
        // a client of its own: postTo has not seen the password yet (its first check runs bcrypt on a worker)
        return postTo.client().send(request(postTo, "/ui/delete").header("Origin", "https://127.0.0.1:" + postTo.port())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rules() throws java.io.IOException {
        return Files.writeString(dir.resolve("access.conf"), "allow * pull,push,delete **\n").toString();
    }

    private long deletesForwarded() {
        return wiremock.forwarded().stream().filter(r -> r.getMethod().value().equals("DELETE")).count();
    }

    @Test
    void gatesSharingARedisAcceptEachOthersConfirmations() throws Exception {
        try (RedisGates shared = RedisGates.start(wiremock, dir, 2, Map.of("access", rules()))) {
            HttpResponse<String> r = confirmOnOnePostToAnother(shared.get(0), shared.get(1));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, deletesForwarded());
        }
    }

    @Test
    void gatesWithoutRedisRefuseEachOthersConfirmations() throws Exception {
        TestGate a = wiremock.gate(Files.createDirectories(dir.resolve("a")), Map.of("access", rules()));
        TestGate b = wiremock.gate(Files.createDirectories(dir.resolve("b")), Map.of("access", rules()));
        HttpResponse<String> r = confirmOnOnePostToAnother(a, b);
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(0, deletesForwarded());
    }
}
