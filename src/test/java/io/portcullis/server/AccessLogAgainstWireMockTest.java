package io.portcullis.server;

import io.portcullis.testing.Poll;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log lines a gate writes to standard output, in the json format: who, what, bytes each way, and
 * whether the registry or the gate chose the status. Standard output is captured for the test's length.
 */
class AccessLogAgainstWireMockTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;
    PrintStream originalOut;
    ByteArrayOutputStream captured;

    @BeforeEach
    void start() throws Exception {
        originalOut = System.out;
        captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        upstream = wiremock.server;
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withBody("accepted")));
        gate = wiremock.gate(dir, Map.of("log-format", "json"));
        client = gate.client();
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The logged lines once there are {@code count} of them (the line is written as the exchange completes). */
    private List<JsonNode> lines(int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
            if (lines.size() >= count) {
                break;
            }
            Poll.pause(20); // polling interval; the loop ends on the observed lines
        }
        assertEquals(count, lines.size(), String.join("\n", lines));
        return lines.stream().map(Json::read).toList();
    }

    @Test
    void linesSayWhoDidWhatAndWhetherTheRegistryAnswered() throws Exception {
        byte[] chunk = new byte[70_000];
        send(HttpRequest.newBuilder(gate.uri("/v2/?secret=query")));
        send(HttpRequest.newBuilder(gate.uri("/v2/team/app/blobs/uploads/u1?_state=token"))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunk))));
        upstream.stop();
        send(HttpRequest.newBuilder(gate.uri("/v2/"))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)));

        List<JsonNode> lines = lines(3);
        String all = captured.toString(StandardCharsets.UTF_8);

        JsonNode challenge = lines.get(0);
        assertEquals(401, challenge.get("status").asInt());
        assertTrue(challenge.get("user").isNull());
        assertTrue(challenge.get("upstream_status").isNull(), "the gate answered the 401 itself");
        assertEquals("/v2/", challenge.get("path").asText());

        JsonNode upload = lines.get(1);
        assertEquals("alice", upload.get("user").asText());
        assertEquals("PATCH", upload.get("method").asText());
        assertEquals(202, upload.get("status").asInt());
        assertEquals(202, upload.get("upstream_status").asInt());
        assertEquals(chunk.length, upload.get("bytes_in").asLong());
        assertEquals("accepted".length(), upload.get("bytes_out").asLong());
        assertTrue(upload.get("duration_ms").asLong() >= 0);
        assertEquals("127.0.0.1", upload.get("client").asText());

        JsonNode down = lines.get(2);
        assertEquals(503, down.get("status").asInt());
        assertTrue(down.get("upstream_status").isNull(), "the registry was down: the gate chose the 503");

        assertFalse(all.contains("secret=query") || all.contains("_state=token"), "query strings are never logged");
        assertFalse(all.contains("Basic ") || all.contains(TestGate.PASSWORD), "credentials are never logged");
    }
}
