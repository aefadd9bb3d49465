package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisGates;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import java.net.InetAddress;
import java.net.URI;
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
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on across three gates on one real redis-server, as behind a load balancer: the provider is a real
 * OpenID provider (mock-oauth2-server, in-process on loopback), the browser is an HTTP client that keeps the
 * cookies by hand and may reach any gate at each step.
 */
@NeedsTools("redis-server")
class SharedSsoTest {
    private static final String CLIENT = "portcullis";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    private final MockOAuth2Server provider = new MockOAuth2Server();
    private RedisGates shared;
    private List<TestGate> gates;

    @BeforeEach
    void start() throws Exception {
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        Path secret = Files.writeString(dir.resolve("oidc.secret"), "client-secret\n");
        shared = RedisGates.start(wiremock, dir, 3, Map.of(
                "oidc-issuer", provider.issuerUrl("default").toString(),
                "oidc-client-id", CLIENT,
                "oidc-client-secret-file", secret.toString(),
                // the balancer's address: every gate sends the provider the same one
                "oidc-redirect-url", "https://registry.example/ui/sso/callback"));
        gates = shared.gates;
    }

    @AfterEach
    void stop() {
        shared.close();
        provider.shutdown();
    }

    /** What a browser holds between requests: the two cookies of single sign-on. */
    private static final class Browser {
        String signInCookie = "";
        String sessionCookie = "";

        String cookies() {
            return String.join("; ", List.of(signInCookie, sessionCookie).stream().filter(c -> !c.isEmpty()).toList());
        }

        void keep(HttpResponse<?> response) {
            for (String set : response.headers().allValues("set-cookie")) {
                String pair = set.substring(0, set.indexOf(';'));
                boolean cleared = set.toLowerCase().contains("max-age=0");
                if (pair.startsWith("__Host-portcullis-sign-in=")) {
                    signInCookie = cleared ? "" : pair;
                } else if (pair.startsWith("__Host-portcullis-session=")) {
                    sessionCookie = cleared ? "" : pair;
                }
            }
        }
    }

    private static HttpResponse<String> get(TestGate gate, String path, Browser browser) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gate.uri(path)).timeout(Duration.ofSeconds(10));
        if (!browser.cookies().isEmpty()) {
            request.header("Cookie", browser.cookies());
        }
        HttpResponse<String> response = gate.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        browser.keep(response);
        return response;
    }

    /** Starts a sign-in on {@code start}; the provider's answer: the callback's query string. */
    private String startSignIn(TestGate start, Browser browser, String user) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", user, "JWT", List.of(CLIENT),
                Map.of("groups", List.of("developers")), 3600));
        HttpResponse<String> login = get(start, "/ui/sso/login", browser);
        assertEquals(302, login.statusCode(), login.body());
        URI authorize = URI.create(login.headers().firstValue("location").orElseThrow());
        HttpResponse<Void> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(302, answer.statusCode());
        URI back = URI.create(answer.headers().firstValue("location").orElseThrow());
        assertEquals("/ui/sso/callback", back.getPath());
        return back.getRawQuery();
    }

    /** A whole sign-in as dora: started on {@code start}, the provider's redirect back reaching {@code finish}. */
    private Browser signIn(TestGate start, TestGate finish) throws Exception {
        Browser browser = new Browser();
        String query = startSignIn(start, browser, "dora");
        HttpResponse<String> callback = get(finish, "/ui/sso/callback?" + query, browser);
        assertEquals(302, callback.statusCode(), callback.body());
        assertEquals("/ui/", callback.headers().firstValue("location").orElseThrow());
        return browser;
    }

    /** The sign-out button: a same-origin POST. */
    private static void signOut(TestGate gate, Browser browser) throws Exception {
        HttpResponse<String> out = gate.client().send(HttpRequest.newBuilder(gate.uri("/ui/sso/logout"))
                .header("Cookie", browser.cookies()).header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, out.statusCode(), out.body());
        browser.keep(out);
    }

    private static String signedInAs(TestGate gate, Browser browser) throws Exception {
        HttpResponse<String> page = get(gate, "/ui/sign-in", browser);
        assertEquals(200, page.statusCode());
        return page.body().contains("Signed in as <b>dora</b>") ? "dora" : "nobody";
    }

    @Test
    void aSignInStartedOnOneGateFinishesOnAnotherAndItsSessionCountsOnEveryGate() throws Exception {
        Browser browser = signIn(gates.get(0), gates.get(1));
        assertTrue(!browser.sessionCookie.isEmpty(), "gate 1 set a session cookie");
        for (TestGate gate : gates) {
            assertEquals("dora", signedInAs(gate, browser));
        }
        // the catalog itself, as dora, on a gate she did not sign in on (the session looked up on a worker thread)
        HttpResponse<String> tokens = get(gates.get(2), "/ui/tokens", browser);
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertTrue(tokens.body().contains("signed in as <b>dora</b>"), tokens.body());
    }

    @Test
    void aStateIsUsedOnceWhicheverGateTheCallbackReaches() throws Exception {
        Browser browser = new Browser();
        String query = startSignIn(gates.get(0), browser, "dora");
        String signInCookie = browser.signInCookie;
        assertEquals(302, get(gates.get(1), "/ui/sso/callback?" + query, browser).statusCode());

        // the same callback, with the same sign-in cookie, replayed on a third gate
        Browser replay = new Browser();
        replay.signInCookie = signInCookie;
        HttpResponse<String> again = get(gates.get(2), "/ui/sso/callback?" + query, replay);
        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("finished already"), again.body());
        assertTrue(replay.sessionCookie.isEmpty(), "no session for a replayed state");
    }

    @Test
    void aSignOutOnOneGateEndsTheSessionOnEveryGateAtOnce() throws Exception {
        Browser browser = signIn(gates.get(0), gates.get(0));
        String copied = browser.sessionCookie;
        assertEquals("dora", signedInAs(gates.get(2), browser));

        signOut(gates.get(1), browser);

        // a copy of the cookie (another tab, a stolen one) is refused by every gate, without waiting for a sync
        Browser stale = new Browser();
        stale.sessionCookie = copied;
        for (TestGate gate : gates) {
            assertEquals("nobody", signedInAs(gate, stale));
        }
    }

    @Test
    void whileRedisIsStalledNewSignInsAreRefusedClearlyAndSessionsWaitUntilItAnswers() throws Exception {
        Browser browser = signIn(gates.get(0), gates.get(1));
        assertEquals("dora", signedInAs(gates.get(2), browser));

        shared.redis.pause();
        try {
            assertEquals("nobody", signedInAs(gates.get(2), browser));
            HttpResponse<String> login = get(gates.get(0), "/ui/sso/login", new Browser());
            assertEquals(503, login.statusCode());
            assertTrue(login.body().contains("sign in with a password"), login.body());
        } finally {
            shared.redis.resume();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String who;
        do {
            who = signedInAs(gates.get(2), browser);
        } while (!who.equals("dora") && System.nanoTime() < deadline);
        assertEquals("dora", who, "the session counts again once Redis answers");
    }

    @Test
    void aSignOutWhileRedisIsStalledIsSentWhenItAnswersAgain() throws Exception {
        Browser browser = signIn(gates.get(0), gates.get(0));
        String copied = browser.sessionCookie;
        try (redis.clients.jedis.JedisPooled look = new redis.clients.jedis.JedisPooled(URI.create(shared.redis.url()))) {
            assertEquals(1, look.keys("portcullis:sso-session:*").size());

            shared.redis.pause();
            try {
                TestGate b = gates.get(1);
                // gate 1 finds Redis stalled (a command written before that would still run when Redis resumes)
                assertEquals("nobody", signedInAs(b, browser));
                signOut(b, browser);
            } finally {
                shared.redis.resume();
            }
            // gate 1 deletes the session once its background check finds Redis again
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!look.keys("portcullis:sso-session:*").isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, look.keys("portcullis:sso-session:*").size(), "the sign-out reached Redis");
        }
        Browser stale = new Browser();
        stale.sessionCookie = copied;
        assertEquals("nobody", signedInAs(gates.get(2), stale));
    }

    @Test
    void aSignInOnOneGateKeepsTheUsersTokenWorkingOnTheOthers() throws Exception {
        IssuedToken token = gates.get(0).portcullis.tokenStore().create(new TokenRequest("dora", "ci",
                List.of(TokenScope.parse("pull:*")), Optional.of(Instant.now().plus(Duration.ofDays(1)))));
        // never signed in: the token of an SSO user counts only while its owner keeps signing in
        assertEquals(401, gates.get(2).statusFrom("127.0.0.31", "dora", token.text()));

        signIn(gates.get(1), gates.get(0));

        // polled on the gate's own view, not with logins: each refused login would count towards the throttle
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!gates.get(2).portcullis.authenticator().isTokenOwner("dora") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(200, gates.get(2).statusFrom("127.0.0.32", "dora", token.text()),
                "gate 2 learnt of the sign-in on gate 0 through Redis");
    }
}
