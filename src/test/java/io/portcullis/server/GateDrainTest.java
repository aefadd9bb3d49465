package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A drain lets an upload that is still sending finish, while new requests are turned away. */
class GateDrainTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate upstream = WireMockGate.bare();

    @Test
    void uploadInFlightCompletesWhileNewRequestsGet503() throws Exception {
        upstream.server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        upstream.server.stubFor(put(urlPathEqualTo("/v2/app/blobs/uploads/u1")).willReturn(aResponse().withStatus(201)));
        TestGate gate = upstream.gate(dir, Map.of());
        HttpClient client = gate.client();
        String auth = TestGate.basic(TestGate.USER, TestGate.PASSWORD);
        PipedOutputStream body = new PipedOutputStream();
        PipedInputStream source = new PipedInputStream(body, 64 * 1024);
        CompletableFuture<HttpResponse<String>> upload = client.sendAsync(HttpRequest.newBuilder(gate.uri("/v2/app/blobs/uploads/u1?digest=sha256:00"))
                .header("Authorization", auth)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> source), 2 * 1024 * 1024))
                .build(), HttpResponse.BodyHandlers.ofString());
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 16; i++) {
            body.write(chunk);
        }

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.gate.drain(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int status = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status != 503 && System.nanoTime() < deadline) {
            status = client.send(HttpRequest.newBuilder(gate.uri("/v2/")).header("Authorization", auth)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
        assertEquals(503, status, "new requests are refused while draining");
        assertTrue(!drained.isDone(), "the drain waits for the upload");

        for (int i = 0; i < 16; i++) {
            body.write(chunk);
        }
        body.close();

        assertEquals(201, upload.get(20, TimeUnit.SECONDS).statusCode());
        assertTrue(drained.get(20, TimeUnit.SECONDS), "drain reports every request finished");
        assertEquals(2 * 1024 * 1024, upstream.server.findAll(putRequestedFor(urlPathEqualTo("/v2/app/blobs/uploads/u1"))).get(0).getBody().length);
    }
}
