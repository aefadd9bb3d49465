package io.portcullis.auth;

import io.portcullis.api.LoginChallenge;
import io.portcullis.observe.AuthEvents;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
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
        BasicAuthHandler handler = BasicAuthHandler.using(new Authenticator(users, new CredentialCache(100, Duration.ofMinutes(5))),
                        throttle, new LoginChallenge("r"))
                .hashingOn(task -> {
                    hashed.incrementAndGet();
                    pool.execute(task);
                })
                .events(new AuthEvents() {
                    @Override
                    public void throttled() {
                        throttledEvents.incrementAndGet();
                    }
                })
                .wrap(ok);
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

    /** Starts the handler with a throttle and a hashing executor of the test's; returns the port. */
    private int serve(LoginThrottle throttle, Executor hashing) {
        Htpasswd users = Htpasswd.parse("test", List.of("alice:" + BcryptHash.hash("pw".getBytes(StandardCharsets.UTF_8), 4)));
        BasicAuthHandler handler = BasicAuthHandler.using(new Authenticator(users, new CredentialCache(100, Duration.ofMinutes(5))),
                        throttle, new LoginChallenge("r"))
                .hashingOn(task -> {
                    hashed.incrementAndGet();
                    hashing.execute(task);
                })
                .wrap(ex -> ex.getResponseSender().send("ok"));
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).setWorkerThreads(4).build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private static List<Integer> statuses(List<CompletableFuture<HttpResponse<Void>>> responses) {
        return responses.stream().map(f -> f.join().statusCode()).sorted().toList();
    }

    private static CompletableFuture<HttpResponse<Void>> send(HttpClient client, int port, String user, String password) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void parallelGuessesFromOneAddressGetNoMoreChecksThanTheLimit() {
        // no slack: an attempt is counted when it is accepted for a check, atomically with the limit test
        int port = serve(new LoginThrottle(5, 0, Duration.ofMinutes(10), 100), pool);
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Void>>> guesses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            guesses.add(send(client, port, "alice", "guess" + i));
        }

        List<Integer> statuses = statuses(guesses);

        assertEquals(5, hashed.get(), "password checks run for 40 parallel guesses: " + statuses);
        assertEquals(5, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
        assertEquals(35, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    }

    @Test
    void pendingChecksAreBoundedPerAddressWith429AndInTotalWith503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService held = Executors.newCachedThreadPool();
        try {
            int port = serve(new LoginThrottle(1000, 0, Duration.ofMinutes(10), 100, 2, 3, com.github.benmanes.caffeine.cache.Ticker.systemTicker()),
                    task -> held.execute(() -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        task.run();
                    }));
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<Void>>> first = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                first.add(send(client, port, "alice", "guess" + i));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (first.stream().filter(CompletableFuture::isDone).count() < 3 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L); // polling interval
            }
            assertEquals(List.of(429, 429, 429), first.stream().filter(CompletableFuture::isDone).map(f -> f.join().statusCode()).toList(),
                    "two checks pending for the address, the rest refused at once");
            assertEquals(2, hashed.get());

            Socket third = guessFrom("127.0.0.2", port);
            while (hashed.get() < 3 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L); // polling interval
            }
            assertEquals(3, hashed.get(), "a third check, from another address, is admitted");
            assertEquals(503, readStatus(guessFrom("127.0.0.3", port)), "a fourth in total: 503");
            release.countDown();
            assertEquals(401, readStatus(third));
            assertEquals(List.of(401, 401, 429, 429, 429), statuses(first));
        } finally {
            release.countDown();
            held.shutdownNow();
        }
    }

    /** Sends one wrong guess over a socket bound to {@code localAddress}; the answer is read with readStatus. */
    private static Socket guessFrom(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        String auth = Base64.getEncoder().encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().write(("GET /v2/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static int readStatus(Socket socket) {
        try (socket) {
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(line.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int get(HttpClient client, int port, String user, String password) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
