package io.portcullis.auth;

import io.portcullis.api.LoginChallenge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.directory.LoginVerdict;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.testing.Json;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BasicAuthHandler with a directory behind the htpasswd file, on a plain listener: statuses, groups, throttle, time. */
class DirectoryBasicAuthTest {
    private final AtomicReference<LoginVerdict> directory = new AtomicReference<>(LoginVerdict.accepted(Set.of("developers")));
    private final LoginThrottle throttle = new LoginThrottle(3, 0, Duration.ofMinutes(10), 100);
    private Authenticator authenticator;
    private Undertow server;
    private int port;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        authenticator = new Authenticator(
                Htpasswd.parse("test", List.of("alice:" + BcryptHash.hash("file-pw".getBytes(StandardCharsets.UTF_8), 8))),
                new CredentialCache(100, Duration.ofMinutes(5)), Optional.of((user, password) -> directory.get()));
        BasicAuthHandler handler = BasicAuthHandler.using(authenticator, throttle, new LoginChallenge("r")).wrap(
                ex -> ex.getResponseSender().send(AuthenticatedUser.of(ex).orElseThrow() + " "
                        + String.join(",", new TreeSet<>(AuthenticatedUser.groups(ex)))));
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String user, String password) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDirectoryUserPassesWithItsGroupsAttachedForTheRules() throws Exception {
        HttpResponse<String> r = get("dora", "pw");
        assertEquals(200, r.statusCode());
        assertEquals("dora developers", r.body());
        directory.set(LoginVerdict.UNAVAILABLE);
        assertEquals("dora developers", get("dora", "pw").body(), "the next layers ride on the cache, directory or not");
    }

    @Test
    void theDirectoryDownIsA503ThatNamesItWhileHtpasswdUsersGoOn() throws Exception {
        directory.set(LoginVerdict.UNAVAILABLE);
        HttpResponse<String> r = get("dora", "pw");
        assertEquals(503, r.statusCode());
        assertTrue(Json.errorCodes(r.body()).equals(List.of("UNAVAILABLE")) && r.body().contains("login directory is unreachable"), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), "no challenge: the password was not judged wrong");
        assertEquals(200, get("alice", "file-pw").statusCode());
        for (int i = 0; i < 5; i++) {
            assertEquals(503, get("dora", "pw").statusCode(), "an outage is never counted as failures (no 429)");
        }
        directory.set(LoginVerdict.accepted(Set.of()));
        assertEquals(200, get("dora", "pw").statusCode());
    }

    @Test
    void wrongDirectoryPasswordsAre401sThatCountInTheThrottle() throws Exception {
        directory.set(LoginVerdict.REJECTED);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("dora", "guess" + i);
            assertEquals(401, r.statusCode());
            assertEquals("Basic realm=\"r\"", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
        assertEquals(429, get("dora", "guess").statusCode());
    }

    @Test
    void aDirectoryRefusalTakesAsLongAsAWrongHtpasswdPassword() throws Exception {
        directory.set(LoginVerdict.REJECTED);
        Duration floor = authenticator.failureFloor();
        long start = System.nanoTime();
        assertEquals(401, get("dora", "wrong").statusCode());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(floor) >= 0, "answered after " + took + ", not before the floor " + floor);
    }
}
