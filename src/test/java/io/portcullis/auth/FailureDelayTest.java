package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure is answered at its floor or later, never sooner, however small the floor: XNIO's timer counts whole
 * milliseconds and truncates, so floors under a millisecond (bcrypt cost 4) and fractions of one must be rounded up.
 */
class FailureDelayTest {
    private Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void noAnswerComesBeforeItsFloor() throws Exception {
        List<Duration> floors = List.of(Duration.ofNanos(300_000), Duration.ofNanos(900_000), Duration.ofNanos(1_900_000),
                Duration.ofMillis(5));
        List<String> early = new CopyOnWriteArrayList<>();
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            Duration floor = floors.get(Integer.parseInt(exchange.getQueryParameters().get("i").getFirst()));
            long accepted = System.nanoTime();
            FailureDelay.answer(exchange, accepted, floor, () -> {
                long waited = System.nanoTime() - accepted;
                if (waited < floor.toNanos()) {
                    early.add(floor + " answered after " + waited + " ns");
                }
                exchange.setStatusCode(401);
                exchange.endExchange();
            });
        }).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpClient client = HttpClient.newHttpClient();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < floors.size(); i++) {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?i=" + i))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                assertEquals(401, r.statusCode());
            }
        }
        assertTrue(early.isEmpty(), "answered before the floor: " + early);
    }
}
