package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.testing.ForwardedRequests;
import io.portcullis.testing.RawHttps;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed and hostile requests, sent as raw bytes over TLS with valid credentials (so that anything let through
 * would reach the registry): each gets a 4xx, never a 5xx, and the upstream sees nothing.
 */
class FrontDoorTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    WireMockServer upstream;
    TestGate gate;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        gate = wiremock.gate(dir, Map.of());
    }

    private RawHttps.Exchange send(String request, int responses) throws Exception {
        String bytes = request.replace("{HOST}", "127.0.0.1:" + gate.port())
                .replace("{AUTH}", "Authorization: " + TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                .replace("{NUL}", "\u0000")
                .replace("|", "\r\n");
        return RawHttps.send(gate.clientTls(), gate.port(), bytes, responses);
    }

    private int upstreamRequests() {
        return forwarded().size();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = ';', value = {
            "CL and TE together;       POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Content-Length: 5|Transfer-Encoding: chunked||0||;  400",
            "two differing CLs;        POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Content-Length: 1|Content-Length: 2||ab;  400",
            "TE xchunked;              POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: xchunked||0||;  400",
            "TE space before colon;    POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding : chunked||0||;  400",
            "TE chunked, identity;     POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: chunked, identity||0||;  400",
            "TE identity;              POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: identity|Content-Length: 0||;  400",
            "TE twice;                 POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: chunked|Transfer-Encoding: chunked||0||;  400",
            "negative CL;              POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Content-Length: -1||;  400",
            "CL with plus sign;        POST /v2/a/blobs/uploads/ HTTP/1.1|Host: {HOST}|{AUTH}|Content-Length: +2||ab;  400",
            "absolute-form target;     GET https://evil.example/v2/ HTTP/1.1|Host: {HOST}|{AUTH}||;  400",
            "absolute-form own host;   GET https://{HOST}/v2/ HTTP/1.1|Host: {HOST}|{AUTH}||;  400",
            "dot-dot segment;          GET /v2/../v2/_catalog HTTP/1.1|Host: {HOST}|{AUTH}||;  301",
            "encoded dot-dot;          GET /v2/a/%2e%2e/b/manifests/x HTTP/1.1|Host: {HOST}|{AUTH}||;  301",
            "mixed-case encoded dots;  GET /v2/a/.%2E/b/tags/list HTTP/1.1|Host: {HOST}|{AUTH}||;  301",
            "dot segment;              GET /v2/./_catalog HTTP/1.1|Host: {HOST}|{AUTH}||;  301",
            "backslash dot-dot;        GET /v2/a\\..\\b/tags/list HTTP/1.1|Host: {HOST}|{AUTH}||;  400",
            "OPTIONS *;                OPTIONS * HTTP/1.1|Host: {HOST}|{AUTH}||;  400",
            "CONNECT;                  CONNECT evil.example:443 HTTP/1.1|Host: evil.example:443|{AUTH}||;  405",
            "TRACE;                    TRACE /v2/ HTTP/1.1|Host: {HOST}|{AUTH}||;  405",
            "unknown method;           PROPFIND /v2/ HTTP/1.1|Host: {HOST}|{AUTH}||;  405",
            "no Host on HTTP/1.1;      GET /v2/ HTTP/1.1|{AUTH}||;  400",
            "two Host headers;         GET /v2/ HTTP/1.1|Host: {HOST}|Host: evil.example|{AUTH}||;  400",
            "NUL in a header value;    GET /v2/ HTTP/1.1|Host: {HOST}|{AUTH}|X-A: a{NUL}b||;  400",
            "HTTP/2 preface;           PRI * HTTP/2.0||SM||;  400",
            "space in the target;      GET /v2/a b/tags/list HTTP/1.1|Host: {HOST}|{AUTH}||;  400",
            "HTTP/0.9 style;           GET /v2/|;  400",
    })
    void malformedRequestsAreAnsweredByTheGateAndNeverReachTheUpstream(String attack, String request, int expected) throws Exception {
        RawHttps.Exchange r = send(request, 1);

        assertEquals(expected, r.first().status(), attack + ": " + r);
        assertEquals(0, upstreamRequests(), attack + " reached the upstream");
    }

    @ParameterizedTest(name = "TE obfuscation Undertow normalises: {0}")
    @CsvSource(delimiter = ';', value = {"tab around the value; Transfer-Encoding:\tchunked\t", "obs-fold; Transfer-Encoding:| chunked"})
    void whitespaceVariantsOfChunkedAreReadAsChunkedAndReframedForTheUpstream(String name, String header) throws Exception {
        // legal OWS / obs-fold: the gate reads the body as chunked and the upstream gets a freshly framed request,
        // so there is no second parser to disagree with
        RawHttps.Exchange r = send("PATCH /v2/a/blobs/uploads/u HTTP/1.1|Host: {HOST}|{AUTH}|" + header + "||5|layer|0||", 1);

        assertEquals(200, r.first().status(), r.toString());
        assertEquals("layer", forwarded().get(0).getBodyAsString());
    }

    @Test
    void aBadChunkSizeEndsTheBodyAndWhatFollowsMustAuthenticateOnItsOwn() throws Exception {
        // Undertow ends a chunk size at the first non-hex character ("zz" reads as 0, the last chunk): the PATCH
        // reaches the registry with an empty body, and the bytes after it are a new request, which gets no free pass
        RawHttps.Exchange r = send("PATCH /v2/a/blobs/uploads/u HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: chunked||zz||"
                + "DELETE /v2/a/manifests/sha256:00 HTTP/1.1|Host: {HOST}||", 2);

        assertTrue(r.responses().stream().allMatch(x -> x.status() < 500), r.toString());
        assertEquals(401, r.responses().get(1).status(), r.toString());
        assertEquals(1, upstreamRequests());
        assertEquals("", forwarded().get(0).getBodyAsString());
    }

    @Test
    void aChunkSizeTooLargeForUndertowIsNotA5xx() throws Exception {
        RawHttps.Exchange r = send("PATCH /v2/a/blobs/uploads/u HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: chunked||"
                + "FFFFFFFFFFFFFFFFFFFF|x||", 1);
        // Undertow fails the body read: the connection is closed without a response, never a 5xx. The request
        // streams, so its head may already be on its way upstream; no body byte ever is.
        assertTrue(r.responses().isEmpty() && r.closed(), r.toString());
        assertTrue(forwarded().stream().allMatch(seen -> seen.getBody().length == 0), forwarded()::toString);
    }

    @Test
    void oversizedHeadersGet431WithAReason() throws Exception {
        RawHttps.Exchange r = send("GET /v2/ HTTP/1.1|Host: {HOST}|{AUTH}|X-Big: " + "a".repeat(70 * 1024) + "||", 1);

        assertEquals(431, r.first().status(), r.toString());
        assertTrue(r.first().body().contains("larger than 64 KiB"), r.first().body());
        assertTrue(r.closed());
        assertEquals(0, upstreamRequests());
    }

    @Test
    void headersBeyondUndertowsHardLimitGetABare400AndAClosedConnection() throws Exception {
        RawHttps.Exchange r = send("GET /v2/ HTTP/1.1|Host: {HOST}|{AUTH}|X-Big: " + "a".repeat(200 * 1024) + "||", 1);

        assertEquals(400, r.first().status(), r.toString());
        assertEquals("0", r.first().header("Content-Length"));
        assertTrue(r.closed());
        assertEquals(0, upstreamRequests());
    }

    @Test
    void refusalsCarryTheRegistryErrorEnvelopeAndAllow() throws Exception {
        RawHttps.Exchange r = send("TRACE /v2/ HTTP/1.1|Host: {HOST}||", 1);

        assertEquals(405, r.first().status());
        assertEquals("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", r.first().header("Allow"));
        assertEquals("registry/2.0", r.first().header("Docker-Distribution-Api-Version"));
        assertTrue(r.first().body().startsWith("{\"errors\":[{\"code\":\"UNSUPPORTED\""), r.first().body());
    }

    @Test
    void aPipelinedUnauthenticatedRequestAfterAnAuthenticatedOneGets401() throws Exception {
        RawHttps.Exchange r = send("GET /v2/ HTTP/1.1|Host: {HOST}|{AUTH}||"
                + "DELETE /v2/a/manifests/sha256:00 HTTP/1.1|Host: {HOST}||", 2);

        assertEquals(2, r.responses().size(), r.toString());
        assertEquals(200, r.responses().get(0).status());
        assertEquals(401, r.responses().get(1).status());
        assertEquals(1, upstreamRequests(), "only the authenticated request may reach the registry");
        assertEquals("GET", forwarded().get(0).getMethod().getName());
    }

    @Test
    void realRegistryTrafficStillPasses() throws Exception {
        // an upload id with an encoded '/' is refused (see RequestParserTest); the query still passes as sent
        String pathAndQuery = "/v2/team/sub/app/blobs/uploads/5b1c-x?_state=aGVsbG8%3D%3D&digest=sha256%3A0123abcd&x=a+b";
        RawHttps.Exchange r = send("PATCH " + pathAndQuery + " HTTP/1.1|Host: {HOST}|{AUTH}|Transfer-Encoding: chunked||5|layer|0||"
                + "GET /v2/team/app/manifests/sha256:abc HTTP/1.1|Host: {HOST}|{AUTH}||"
                + "OPTIONS /v2/ HTTP/1.1|Host: {HOST}|{AUTH}||"
                + "DELETE /v2/a.b_c-d/blobs/sha256:00 HTTP/1.1|Host: {HOST}|{AUTH}||", 4);

        assertEquals(4, r.responses().size(), r.toString());
        r.responses().forEach(x -> assertEquals(200, x.status(), r.toString()));
        assertEquals(pathAndQuery, forwarded().get(0).getUrl());
        assertEquals("layer", forwarded().get(0).getBodyAsString());
    }

    private List<LoggedRequest> forwarded() {
        return ForwardedRequests.seenBy(upstream);
    }
}
