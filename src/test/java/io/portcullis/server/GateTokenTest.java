package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.auth.Htpasswd;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tokens as the docker password, in front of WireMock: who gets in, what reaches the registry, what clients read. */
class GateTokenTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");

    private TestGate gate;
    private HttpClient client;

    private void start(Map<String, String> flags) throws Exception {
        gate = wiremock.gate(dir, flags);
        client = gate.client();
    }

    private IssuedToken token(String owner, Instant expires, String... scopes) {
        return gate.portcullis.tokens().create(new TokenRequest(owner, "test", TokenScope.parseAll(List.of(scopes)),
                Optional.of(expires)));
    }

    private Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    private HttpResponse<String> send(String method, String user, String password, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(user, password));
        b.method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long forwardedTo(String pathPart) {
        return wiremock.forwarded().stream().map(LoggedRequest::getUrl).filter(u -> u.contains(pathPart)).count();
    }

    @Test
    void aPullTokenPullsButCannotPushAndThePushNeverReachesTheRegistry() throws Exception {
        start(Map.of());
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:**");
        assertEquals(200, send("GET", TestGate.USER, t.text(), "/v2/").statusCode());
        assertEquals(200, send("GET", TestGate.USER, t.text(), "/v2/team/app/manifests/1").statusCode());
        HttpResponse<String> push = send("PUT", TestGate.USER, t.text(), "/v2/team/app/manifests/2");
        assertEquals(403, push.statusCode());
        assertTrue(push.body().contains("DENIED"), push.body());
        assertEquals(0, forwardedTo("/manifests/2"));
    }

    @Test
    void aTokenWorksOnlyWithItsOwnersName() throws Exception {
        start(Map.of());
        IssuedToken robot = token("robot+ci", inAnHour(), "pull,push:**");
        assertEquals(200, send("GET", "robot+ci", robot.text(), "/v2/").statusCode());
        assertEquals(200, send("PUT", "robot+ci", robot.text(), "/v2/app/manifests/1").statusCode());
        HttpResponse<String> other = send("GET", TestGate.USER, robot.text(), "/v2/app/manifests/1");
        assertEquals(401, other.statusCode());
        assertTrue(other.body().contains("authentication required"), other.body());
    }

    @Test
    void expiredAndRevokedTokensAre401sWhoseMessageNamesTheTokenOnlyForTheSecretsHolder() throws Exception {
        start(Map.of());
        IssuedToken expired = token(TestGate.USER, Instant.now().minusSeconds(5), "pull:**");
        HttpResponse<String> r = send("GET", TestGate.USER, expired.text(), "/v2/app/manifests/1");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("token " + expired.token().id() + " expired at "), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());

        IssuedToken revoked = token(TestGate.USER, inAnHour(), "pull:**");
        assertEquals(200, send("GET", TestGate.USER, revoked.text(), "/v2/app/manifests/1").statusCode());
        gate.portcullis.tokens().revoke(revoked.token().id());
        r = send("GET", TestGate.USER, revoked.text(), "/v2/app/manifests/1");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("token " + revoked.token().id() + " was revoked at "), r.body());

        // a guess at the id with another secret learns nothing: the answer of a wrong password
        String guess = revoked.text().substring(0, 21) + "A".repeat(40);
        r = send("GET", TestGate.USER, guess, "/v2/app/manifests/1");
        assertEquals(401, r.statusCode());
        assertEquals(send("GET", TestGate.USER, "wrong password", "/v2/app/manifests/1").body(), r.body());
    }

    @Test
    void everyRefusalWaitsForTheFailureFloorLikeAWrongPassword() throws Exception {
        start(Map.of());
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:**");
        Duration floor = gate.portcullis.authenticator().failureFloor();
        String unknown = "pcl_0123456789abcdef_" + "B".repeat(40);
        for (String password : List.of(unknown, t.text().substring(0, 21) + "C".repeat(40))) {
            long start = System.nanoTime();
            assertEquals(401, send("GET", TestGate.USER, password, "/v2/").statusCode());
            assertTrue(System.nanoTime() - start >= floor.toNanos(), "answered before the failure floor " + floor);
        }
    }

    @Test
    void aTokenHasNoMoreThanItsOwnerHasNow() throws Exception {
        Path rules = Files.writeString(dir.resolve("access.conf"), String.join("\n",
                "allow " + TestGate.USER + " pull team/**",
                "allow robot+ci pull,push app", ""));
        start(Map.of("access", rules.toString()));
        IssuedToken alice = token(TestGate.USER, inAnHour(), "pull,push,delete:**");
        assertEquals(200, send("GET", TestGate.USER, alice.text(), "/v2/team/x/manifests/1").statusCode());
        assertEquals(403, send("GET", TestGate.USER, alice.text(), "/v2/other/manifests/1").statusCode());
        assertEquals(403, send("PUT", TestGate.USER, alice.text(), "/v2/team/x/manifests/2").statusCode());
        IssuedToken robot = token("robot+ci", inAnHour(), "pull:app");
        assertEquals(200, send("GET", "robot+ci", robot.text(), "/v2/app/manifests/1").statusCode());
        assertEquals(403, send("PUT", "robot+ci", robot.text(), "/v2/app/manifests/3").statusCode());
        assertEquals(0, forwardedTo("/manifests/2") + forwardedTo("/manifests/3") + forwardedTo("/other/"));

        // the owner leaves the htpasswd file: the token stops working at the reload
        gate.portcullis.authenticator().replaceUsers(Htpasswd.load(Files.writeString(dir.resolve("empty"), "")));
        assertEquals(401, send("GET", TestGate.USER, alice.text(), "/v2/team/x/manifests/1").statusCode());
    }

    @Test
    void theCatalogListsOnlyWhatTheTokensScopesAllow() throws Exception {
        wiremock.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v2/_catalog"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"repositories\":[\"app\",\"team/a\",\"team/b\"]}")));
        start(Map.of());
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:team/*");
        HttpResponse<String> r = send("GET", TestGate.USER, t.text(), "/v2/_catalog");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("team/a") && r.body().contains("team/b"), r.body());
        assertFalse(Json.texts(Json.read(r.body()).path("repositories")).contains("app"), r.body());
        IssuedToken all = token(TestGate.USER, inAnHour(), "catalog", "pull:team/*");
        assertTrue(Json.texts(Json.read(send("GET", TestGate.USER, all.text(), "/v2/_catalog").body()).path("repositories")).contains("app"));
    }

    @Test
    void theWebCatalogWantsThePasswordNotAToken() throws Exception {
        start(Map.of());
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:**");
        HttpResponse<String> r = send("GET", TestGate.USER, t.text(), "/ui/");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("does not accept tokens"), r.body());
    }

    @Test
    void aUseIsRecordedWithTheClientAddress() throws Exception {
        start(Map.of());
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:**");
        assertEquals(200, send("GET", TestGate.USER, t.text(), "/v2/").statusCode());
        gate.portcullis.tokens().flushUses(true);
        assertEquals("127.0.0.1", gate.portcullis.tokens().find(t.token().id()).orElseThrow().lastUsed().orElseThrow().from());
        assertTrue(Files.readString(gate.portcullis.tokens().file()).contains("127.0.0.1"));
    }

    @Test
    void anAuditedDenialNamesTheOwnerAndTheTokenAndARevocationIsAnEvent() throws Exception {
        Path log = dir.resolve("audit.log");
        start(Map.of("audit-log", log.toString(), "audit-actions", "access.denied"));
        IssuedToken t = token("robot+ci", inAnHour(), "pull:**");
        assertEquals(403, send("PUT", "robot+ci", t.text(), "/v2/app/manifests/1").statusCode());
        // a revocation by another process (the CLI), which the gate learns of from the file
        try (io.portcullis.token.FileTokenStore cli = io.portcullis.token.FileTokenStore.open(
                io.portcullis.state.StateDirectory.open(dir.resolve("state")), java.time.Clock.systemUTC())) {
            cli.revoke(t.token().id());
        }
        gate.portcullis.tokens().refresh();
        String id = t.token().id();
        Predicate<JsonNode> denial = e -> "access.denied".equals(e.path("action").asText())
                && "robot+ci".equals(e.at("/actor/name").asText()) && id.equals(e.at("/actor/tokenID").asText())
                && "test".equals(e.at("/actor/tokenLabel").asText());
        Predicate<JsonNode> revocation = e -> "token.revoke".equals(e.path("action").asText())
                && "portcullis token".equals(e.at("/actor/name").asText()) && id.equals(e.at("/actor/tokenID").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String content = "";
        List<JsonNode> events = List.of();
        while (System.nanoTime() < deadline && !(events.stream().anyMatch(denial) && events.stream().anyMatch(revocation))) {
            content = Files.exists(log) ? Files.readString(log) : "";
            events = Json.lines(content.substring(0, content.lastIndexOf('\n') + 1)); // whole lines only: one may be mid-write
            Thread.onSpinWait();
        }
        assertTrue(events.stream().anyMatch(denial), content);
        assertTrue(events.stream().anyMatch(revocation), content);
        assertFalse(content.contains(t.secret().secret()));
    }

    @Test
    void failedTokenAttemptsCountInTheLoginThrottleLikePasswords() throws Exception {
        start(Map.of("throttle-failures", "3"));
        IssuedToken t = token(TestGate.USER, inAnHour(), "pull:**");
        String wrong = t.text().substring(0, 21) + "D".repeat(40);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, send("GET", TestGate.USER, wrong, "/v2/").statusCode());
        }
        HttpResponse<String> blocked = send("GET", TestGate.USER, wrong, "/v2/");
        assertEquals(429, blocked.statusCode(), blocked.body());
        assertEquals(429, send("GET", TestGate.USER, "pcl_0123456789abcdef_" + "E".repeat(40), "/v2/").statusCode());
    }
}
