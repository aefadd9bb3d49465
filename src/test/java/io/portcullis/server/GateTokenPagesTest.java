package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.auth.BcryptHash;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The web catalog's Tokens page: create within your rights, see the secret once, revoke; forms as safe as the delete form. */
class GateTokenPagesTest {
    private static final Pattern CREATE_CSRF = Pattern.compile("id=\"create-token\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}");

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("{}");
    private TestGate gate;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        Path rules = Files.writeString(dir.resolve("access.conf"), String.join("\n",
                "allow alice,admin pull,push **", "allow admin tokens", ""));
        gate = wiremock.gate(dir, Map.of("access", rules.toString()));
        Files.writeString(dir.resolve("htpasswd"), "admin:" + BcryptHash.hash("admin pw".getBytes(StandardCharsets.UTF_8), 4) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        gate.portcullis.authenticator().replaceUsers(io.portcullis.auth.Htpasswd.load(dir.resolve("htpasswd")));
        client = gate.client();
    }

    private HttpResponse<String> get(String user, String password, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri(path)).header("Authorization", TestGate.basic(user, password))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String user, String password, String path, String origin, Map<String, String> form) throws Exception {
        String body = String.join("&", form.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
        HttpRequest.Builder b = HttpRequest.newBuilder(gate.uri(path)).header("Authorization", TestGate.basic(user, password))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String origin() {
        return "https://127.0.0.1:" + gate.port();
    }

    private String createCsrf(String user, String password) throws Exception {
        HttpResponse<String> page = get(user, password, "/ui/tokens");
        assertEquals(200, page.statusCode(), page.body());
        Matcher m = CREATE_CSRF.matcher(page.body());
        assertTrue(m.find(), page.body());
        return m.group(1);
    }

    @Test
    void aUserCreatesATokenSeesItOnceUsesItAndRevokesIt() throws Exception {
        String csrf = createCsrf(TestGate.USER, TestGate.PASSWORD);
        HttpResponse<String> created = post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", csrf, "label", "laptop", "scopes", "pull:team/*", "expires", "7d"));
        assertEquals(200, created.statusCode(), created.body());
        Matcher m = TOKEN.matcher(created.body());
        assertTrue(m.find(), created.body());
        String token = m.group();
        assertTrue(created.body().contains("docker login 127.0.0.1:" + gate.port() + " -u alice --password-stdin"), created.body());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));

        assertEquals(200, get(TestGate.USER, token, "/v2/team/a/manifests/1").statusCode());
        assertEquals(403, get(TestGate.USER, token, "/v2/other/manifests/1").statusCode());
        HttpResponse<String> list = get(TestGate.USER, TestGate.PASSWORD, "/ui/tokens");
        assertFalse(TOKEN.matcher(list.body()).find(), "the list shows a secret");
        String id = token.substring(4, 20);
        Matcher revokeCsrf = Pattern.compile("name=\"id\" value=\"" + id + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(list.body());
        assertTrue(revokeCsrf.find(), list.body());

        // someone else's form, or one from another origin, changes nothing
        assertEquals(403, post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/revoke", "https://evil.example",
                Map.of("id", id, "csrf", revokeCsrf.group(1))).statusCode());
        assertEquals(200, get(TestGate.USER, token, "/v2/team/a/manifests/1").statusCode());

        assertEquals(200, post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/revoke", origin(),
                Map.of("id", id, "csrf", revokeCsrf.group(1))).statusCode());
        assertEquals(401, get(TestGate.USER, token, "/v2/team/a/manifests/1").statusCode());
    }

    @Test
    void noTokenWithoutOriginOrCsrfOrBeyondTheUsersRights() throws Exception {
        String csrf = createCsrf(TestGate.USER, TestGate.PASSWORD);
        Map<String, String> form = Map.of("csrf", csrf, "scopes", "pull:**", "expires", "7d");
        assertEquals(403, post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", null, form).statusCode());
        assertEquals(403, post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", "forged", "scopes", "pull:**", "expires", "7d")).statusCode());
        // admin's form value is bound to admin: worthless for alice
        assertEquals(403, post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", createCsrf("admin", "admin pw"), "scopes", "pull:**", "expires", "7d")).statusCode());
        HttpResponse<String> beyond = post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", csrf, "scopes", "pull,delete:**", "expires", "7d"));
        assertEquals(400, beyond.statusCode());
        assertTrue(beyond.body().contains("more than your own rights"), beyond.body());
        HttpResponse<String> tooLong = post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", csrf, "scopes", "pull:**", "expires", "9999d"));
        assertEquals(400, tooLong.statusCode());
        assertEquals(0, gate.portcullis.tokens().list().size());
    }

    @Test
    void anAdminSeesAndRevokesEveryonesTokensAndAUserOnlyTheirOwn() throws Exception {
        String csrf = createCsrf(TestGate.USER, TestGate.PASSWORD);
        String token = TOKEN.matcher(post(TestGate.USER, TestGate.PASSWORD, "/ui/tokens/create", origin(),
                Map.of("csrf", csrf, "scopes", "pull:**", "expires", "7d")).body()).results().findFirst().orElseThrow().group();
        String id = token.substring(4, 20);
        assertTrue(get("admin", "admin pw", "/ui/tokens").body().contains("id=\"token-" + id + "\""));
        assertFalse(get("admin", "admin pw", "/ui/tokens").body().contains("Your tokens"));
        String adminPage = get("admin", "admin pw", "/ui/tokens").body();
        Matcher revokeCsrf = Pattern.compile("name=\"id\" value=\"" + id + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(adminPage);
        assertTrue(revokeCsrf.find());
        assertEquals(200, post("admin", "admin pw", "/ui/tokens/revoke", origin(), Map.of("id", id, "csrf", revokeCsrf.group(1))).statusCode());
        assertEquals(401, get(TestGate.USER, token, "/v2/").statusCode());
        // and the token itself cannot open the page (a pull token must not mint a push token)
        String live = gate.portcullis.tokens().create(new io.portcullis.token.TokenRequest(TestGate.USER, "", java.util.List.of(
                io.portcullis.token.TokenScope.parse("pull:**")), java.util.Optional.empty())).text();
        assertEquals(200, get(TestGate.USER, live, "/v2/").statusCode());
        assertEquals(403, get(TestGate.USER, live, "/ui/tokens").statusCode());
    }
}
