package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
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

/** The {@code ui} setting: on (the default) the gate serves /ui/ behind basic auth; off, those paths are not pages. */
class WebCatalogSettingTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    WireMockServer upstream;
    TestGate gate;

    @BeforeEach
    void start() {
        upstream = wiremock.server;
        upstream.stubFor(get(urlMatching("/v2/_catalog.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"repositories\":[\"team/<b>app</b>\"]}")));
    }

    private HttpResponse<String> send(String path, boolean withCredentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(20));
        if (withCredentials) {
            b.header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD));
        }
        return gate.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onByDefaultBehindTheSameLogin() throws Exception {
        gate = wiremock.gate(dir, Map.of());
        HttpResponse<String> page = send("/ui/", true);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("team/&lt;b&gt;app&lt;/b&gt;"), "names escaped: " + page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

        HttpResponse<String> root = send("/", true);
        assertEquals(302, root.statusCode());
        assertEquals("/ui/", root.headers().firstValue("Location").orElse(""));

        HttpResponse<String> anonymous = send("/ui/", false);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"Registry Realm\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));

        assertEquals(200, send("/ui/style.css", true).statusCode());
    }

    @Test
    void theEntranceRedirectsWithoutALoginAndTheCatalogAsksForIt() throws Exception {
        gate = wiremock.gate(dir, Map.of());
        for (String entrance : new String[] {"/", "/ui"}) {
            HttpResponse<String> root = send(entrance, false);
            assertEquals(302, root.statusCode(), entrance + ": " + root.body());
            assertEquals("/ui/", root.headers().firstValue("Location").orElse(""));
            assertTrue(root.headers().firstValue("WWW-Authenticate").isEmpty(), "no password dialog before the redirect");
        }
        // where it leads, the rules decide: nobody anonymous may pull anything here, so the challenge
        assertEquals(401, send("/ui/", false).statusCode());
        // only reading the entrance is free: anything else there still needs a login
        HttpResponse<String> post = gate.client().send(HttpRequest.newBuilder(gate.uri("/")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, post.statusCode(), post.body());
        assertEquals(List.of(), upstream.findAll(getRequestedFor(urlMatching("/v2/_catalog.*"))), "the entrance reads nothing");
    }

    @Test
    void anonymousVisitorsSeeWhatAnonymousMayPull() throws Exception {
        upstream.stubFor(get(urlMatching("/v2/_catalog.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"repositories\":[\"private/app\",\"public/app\"]}")));
        Path rules = Files.writeString(dir.resolve("access.conf"), "allow anonymous pull public/**\n");
        gate = wiremock.gate(dir, Map.of("access", rules.toString()));
        HttpResponse<String> page = send("/ui/", false);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("public/app"), page.body());
        assertFalse(page.body().contains("private/app"), page.body());
        assertEquals(404, send("/ui/repository?name=private/app", false).statusCode());
    }

    @Test
    void offLeavesNoPages() throws Exception {
        gate = wiremock.gate(dir, Map.of("ui", "off"));
        HttpResponse<String> page = send("/ui/", true);
        assertTrue(page.statusCode() >= 400, String.valueOf(page.statusCode()));
        assertFalse(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        // off, / is the registry's: its liveness answer (200, empty), no redirect, with or without credentials
        for (boolean credentials : new boolean[] {true, false}) {
            HttpResponse<String> root = send("/", credentials);
            assertEquals(200, root.statusCode());
            assertEquals("", root.body());
            assertTrue(root.headers().firstValue("Location").isEmpty());
        }
    }
}
