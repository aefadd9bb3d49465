package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler alone on a plain listener, with a hashing executor that counts the password checks it runs. */
class BasicAuthThrottleTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final AtomicInteger hashed = new AtomicInteger();
    private final AtomicInteger throttledEvents = new AtomicInteger();
    private Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        pool.shutdownNow();
    }

    @Test
    void aThrottledLoginIsAnsweredWithoutSpendingAnyBcrypt() throws Exception {
        Htpasswd users = Htpasswd.parse("test", List.of("alice:" + BcryptHash.hash("pw".getBytes(StandardCharsets.UTF_8), 4)));
        LoginThrottle throttle = new LoginThrottle(2, 0, Duration.ofMinutes(10), 100);
        HttpHandler ok = ex -> ex.getResponseSender().send("ok");
        BasicAuthHandler handler = new BasicAuthHandler(new Authenticator(users, new CredentialCache(100, Duration.ofMinutes(5))),
                "r", task -> {
                    hashed.incrementAndGet();
                    pool.execute(task);
                }, new AuthEvents() {
                    @Override
                    public void throttled() {
                        throttledEvents.incrementAndGet();
                    }
                }, throttle, ex -> false, ok);
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpClient client = HttpClient.newHttpClient();

        assertEquals(401, get(client, port, "alice", "a"));
        assertEquals(401, get(client, port, "alice", "b"));
        assertEquals(2, hashed.get());
        for (int i = 0; i < 20; i++) {
            assertEquals(429, get(client, port, "alice", "pw"));
        }
        assertEquals(2, hashed.get(), "no password was checked once throttled");
        assertEquals(20, throttledEvents.get(), "each 429 is reported to the metrics");
    }

    private static int get(HttpClient client, int port, String user, String password) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
