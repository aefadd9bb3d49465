package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import io.undertow.conduits.ReadTimeoutStreamSourceConduit;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of proxied requests over one pooled upstream connection leave nothing behind per request. Undertow's
 * HTTP client wrapped the pooled connection in a fresh read and write timeout conduit (each with its own
 * HttpOpenListener) on every request while READ_TIMEOUT/WRITE_TIMEOUT were upstream socket options: the heap
 * grew ~1 KiB per request until OutOfMemoryError at -Xmx48m.
 */
class UpstreamLeakTest {
    private static final int REQUESTS = 3000;

    @TempDir
    Path dir;

    @Test
    void requestsOverOnePooledUpstreamConnectionGrowNothing() throws Exception {
        try (WireMockGate upstream = new WireMockGate()) {
            requestsOverOneUpstreamConnection(upstream.gate(dir, Map.of("io-threads", "1", "upstream-connections", "1")));
        }
    }

    private static void requestsOverOneUpstreamConnection(TestGate gate) throws Exception {
        HttpClient client = gate.client();
        HttpRequest request = HttpRequest.newBuilder(gate.uri("/v2/")).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)).build();
        long listenersBefore = HeapHistogram.liveInstances(HttpOpenListener.class);

        for (int i = 0; i < REQUESTS; i++) {
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }

        long listeners = HeapHistogram.liveInstances(HttpOpenListener.class) - listenersBefore;
        long conduits = HeapHistogram.liveInstances(ReadTimeoutStreamSourceConduit.class);
        // a few per open connection are expected (client and upstream sides), never one per request
        assertTrue(listeners < 20, listeners + " HttpOpenListeners live after " + REQUESTS + " requests");
        assertTrue(conduits < 20, conduits + " read timeout conduits live after " + REQUESTS + " requests");
    }
}
