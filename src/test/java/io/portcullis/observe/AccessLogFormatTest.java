package io.portcullis.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The two access log formats on hand-made records: what an operator or a log parser reads. */
class AccessLogFormatTest {
    private static final Instant TIME = Instant.parse("2025-03-04T05:06:07.891Z");

    private static ExchangeRecord proxiedPush() {
        return new ExchangeRecord(TIME, "10.0.0.7", "alice", "PATCH", "/v2/team/app/blobs/uploads/5b1c", "HTTP/1.1",
                202, 1_048_576, 0, 12_345_678, 202, false, "https://ci.example/job?token=secret", "docker/27.1 go/1.22");
    }

    private static ExchangeRecord anonymousChallenge() {
        return new ExchangeRecord(TIME, "10.0.0.8", null, "GET", "/v2/", "HTTP/1.1", 401, 0, 87, 900_000, null, false,
                null, null);
    }

    @Test
    void combinedIsApacheCombinedWithTheDurationAppended() {
        String line = new CombinedLogFormat(ZoneOffset.UTC).format(proxiedPush());

        assertEquals("10.0.0.7 - alice [04/Mar/2025:05:06:07 +0000] \"PATCH /v2/team/app/blobs/uploads/5b1c HTTP/1.1\" 202 - "
                + "\"https://ci.example/job\" \"docker/27.1 go/1.22\" 12ms", line);
    }

    @Test
    void combinedShowsDashesForAMissingUserRefererAndAgent() {
        String line = new CombinedLogFormat(ZoneOffset.ofHours(2)).format(anonymousChallenge());

        assertEquals("10.0.0.8 - - [04/Mar/2025:07:06:07 +0200] \"GET /v2/ HTTP/1.1\" 401 87 \"-\" \"-\" 0ms", line);
    }

    @Test
    void combinedCannotBeSplitOrForgedByClientText() {
        ExchangeRecord hostile = new ExchangeRecord(TIME, "10.0.0.9", "eve \"x\"", "GET", "/v2/a\"b\nc", "HTTP/1.1", 404,
                0, 0, 0, 404, false, null, "agent\" \"forged\r\nnext");
        String line = new CombinedLogFormat(ZoneOffset.UTC).format(hostile);

        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertTrue(line.startsWith("10.0.0.9 - eve??x? ["), line);
        assertTrue(line.contains("\"GET /v2/a?b?c HTTP/1.1\""), line);
        assertTrue(line.contains("\"agent? ?forged??next\""), line);
    }

    @Test
    void jsonIsOneParseableObjectWithTheDocumentedFields() throws Exception {
        String line = new JsonLogFormat().format(proxiedPush());
        JsonNode json = Json.read(line);

        assertFalse(line.contains("\n"));
        assertEquals("2025-03-04T05:06:07.891Z", json.get("time").asText());
        assertEquals("10.0.0.7", json.get("client").asText());
        assertEquals("alice", json.get("user").asText());
        assertEquals("PATCH", json.get("method").asText());
        assertEquals("/v2/team/app/blobs/uploads/5b1c", json.get("path").asText());
        assertEquals(202, json.get("status").asInt());
        assertEquals(1_048_576, json.get("bytes_in").asLong());
        assertEquals(0, json.get("bytes_out").asLong());
        assertEquals(12, json.get("duration_ms").asLong());
        assertEquals(202, json.get("upstream_status").asInt());
        // headers are never logged in JSON, not even the harmless ones
        assertFalse(line.contains("docker/27.1") || line.contains("ci.example") || line.contains("secret"), line);
    }

    @Test
    void jsonUsesNullForNoUserAndForAnAnswerTheGateGaveItself() throws Exception {
        JsonNode json = Json.read(new JsonLogFormat().format(anonymousChallenge()));

        assertTrue(json.get("user").isNull());
        assertTrue(json.get("upstream_status").isNull());
        assertEquals(401, json.get("status").asInt());
    }

    @Test
    void jsonEscapesClientText() throws Exception {
        ExchangeRecord hostile = new ExchangeRecord(TIME, "10.0.0.9", "eve\\\"", "GET", "/v2/\"}\u0001", "HTTP/1.1", 404,
                0, 0, 0, 404, false, null, null);
        JsonNode json = Json.read(new JsonLogFormat().format(hostile));

        assertTrue(json.get("user").asText().startsWith("eve"));
        assertEquals(404, json.get("status").asInt());
    }
}
