package io.portcullis.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback: keeps every POST (body, content type, signature header) and answers 200, or a
 * chosen status. Can be stopped and started again on the same port, to play a receiver that is down for a while.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** @param status what the receiver answered */
    public record Delivery(String body, String contentType, String signature, int status) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private int port;

    public static WebhookReceiver start() {
        WebhookReceiver r = new WebhookReceiver();
        r.up();
        return r;
    }

    /** Listens (again), on the port it had before if any. */
    public synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = status.get();
            synchronized (this) {
                deliveries.add(new Delivery(new String(body, StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("X-Portcullis-Signature"), answer));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    public synchronized void down() {
        server.stop(0);
    }

    public void answer(int httpStatus) {
        status.set(httpStatus);
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/events";
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
