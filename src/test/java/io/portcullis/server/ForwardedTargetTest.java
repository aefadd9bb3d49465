package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.testing.Json;
import io.portcullis.testing.RawHttps;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the upstream receives: the target the decision was made on, and none of the client's hop-by-hop
 * headers. Raw requests, because Java's HttpClient refuses to send Connection, Upgrade and the like.
 */
class ForwardedTargetTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate stack = new WireMockGate("from upstream");
    TestGate gate;

    @BeforeEach
    void start() throws Exception {
        gate = stack.gate(dir, Map.of());
    }

    private RawHttps.Exchange send(String head, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(head).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(gate.port())
                .append("\r\nAuthorization: ").append(TestGate.basic(TestGate.USER, TestGate.PASSWORD)).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return RawHttps.send(gate.clientTls(), gate.port(), request.append("\r\n").toString(), 1);
    }

    private List<LoggedRequest> forwarded() {
        return stack.forwarded();
    }

    @Test
    void hopByHopHeadersStayWithTheGate() throws Exception {
        RawHttps.Exchange r = send("GET /v2/team/app/manifests/1",
                "Connection: keep-alive, X-Listed, Content-Length, Host",
                "X-Listed: by Connection",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Trailer: X-Checksum",
                "Upgrade: websocket",
                "Proxy-Connection: keep-alive",
                "Proxy-Authorization: Basic cHJveHk6c2VjcmV0",
                "X-End-To-End: kept");
        assertEquals(200, r.responses().get(0).status(), r.toString());

        LoggedRequest seen = forwarded().get(0);
        for (String name : List.of("X-Listed", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Proxy-Authorization")) {
            assertNull(seen.getHeader(name), () -> name + " was forwarded:\n" + seen);
        }
        String connection = seen.containsHeader("Connection") ? seen.getHeader("Connection").toLowerCase(Locale.ROOT) : "";
        assertFalse(connection.contains("x-listed"), connection);
        assertEquals("kept", seen.getHeader("X-End-To-End"));
        // what Connection names but the proxy needs stays: the Host the registry builds URLs from
        assertEquals("127.0.0.1:" + gate.port(), seen.getHeader("Host"));
    }

    @Test
    void theForwardedPathIsTheDecodedCanonicalOneAndTheQueryIsUntouched() throws Exception {
        send("GET /v2/te%61m/app/blobs/sha256%3A" + "ab".repeat(32) + "?x=a+b&_state=abc%3D%3D");
        assertEquals("/v2/team/app/blobs/" + DIGEST + "?x=a+b&_state=abc%3D%3D", forwarded().get(0).getUrl());
    }

    @Test
    void whatTheRegistryCouldReadOtherwiseIsNeverForwarded() throws Exception {
        RawHttps.Exchange encodedSlash = send("GET /v2/team/app/manifests/x%2Fblobs%2F" + DIGEST);
        assertEquals(400, encodedSlash.responses().get(0).status(), encodedSlash.toString());
        assertEquals(List.of("TAG_INVALID"), Json.errorCodes(encodedSlash.first().body()), encodedSlash.toString());

        RawHttps.Exchange encodedName = send("POST /v2/team/app/blobs/uploads/?%6Dount=" + DIGEST + "&from=secret", "Content-Length: 0");
        assertEquals(400, encodedName.responses().get(0).status(), encodedName.toString());

        RawHttps.Exchange form = send("POST /v2/team/app/blobs/uploads/", "Content-Type: application/x-www-form-urlencoded",
                "Content-Length: 11", "", "from=secret");
        assertEquals(400, form.responses().get(0).status(), form.toString());
        assertEquals(0, forwarded().size());
    }

    @Test
    void withoutCredentialsAnUnparsableRequestIsChallengedNotExplained() throws Exception {
        // decoded, an upload into team/app/manifests/x: the registry routes it, the gate will not forward it
        RawHttps.Exchange r = RawHttps.send(gate.clientTls(), gate.port(), "GET /v2/team/app/manifests/x%2Fblobs%2Fuploads%2F HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + gate.port() + "\r\n\r\n", 1);
        assertEquals(401, r.responses().get(0).status(), r.toString());
        // decoded, no route at all: the registry's router answers 404 before its auth, and so does the gate
        RawHttps.Exchange unrouted = RawHttps.send(gate.clientTls(), gate.port(), "GET /v2/team/app/manifests/x%2Fy HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + gate.port() + "\r\n\r\n", 1);
        assertEquals(404, unrouted.responses().get(0).status(), unrouted.toString());
        assertEquals(0, forwarded().size());
    }
}
