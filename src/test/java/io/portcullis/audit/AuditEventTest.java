package io.portcullis.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.EventSchema;
import io.portcullis.testing.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    private static final AuditEvent.Source SOURCE = new AuditEvent.Source("127.0.0.1:5043", "instance-1");

    private static AuditEvent manifestPush() {
        return new AuditEvent("id-1", Instant.parse("2026-12-01T14:55:23.032398733Z"), "push",
                new AuditEvent.Target("application/vnd.oci.image.manifest.v1+json", 709, "sha256:" + "b".repeat(64),
                        "team/app", null, "https://gate/v2/team/app/manifests/sha256:" + "b".repeat(64), "1"),
                new AuditEvent.Request("r-1", "127.0.0.1:34626", "gate:5043", "PUT", "skopeo/1.9.3"), "alice", SOURCE);
    }

    @Test
    void anEventInTheEnvelopeMatchesDistributionsSchema() {
        String envelope = AuditEvent.envelope(List.of(manifestPush().toJson(), loginFailure("mallory").toJson()));
        assertEquals(List.of(), EventSchema.problems(envelope));
        JsonNode event = EventSchema.validEnvelope(envelope).get(0);
        assertEquals("alice", event.get("actor").get("name").asText());
        assertEquals(709, event.get("target").get("length").asLong());
        assertEquals("1", event.get("target").get("tag").asText());
        assertEquals("instance-1", event.get("source").get("instanceID").asText());
        assertEquals("skopeo/1.9.3", event.get("request").get("useragent").asText());
    }

    @Test
    void theSchemaRefusesWhatDistributionWouldNotRead() {
        JsonNode event = Json.read(manifestPush().toJson());
        // a misspelt field, an unknown action: the check is not a formality
        assertFalse(EventSchema.problems("{\"events\":[" + EventSchema.with(event, "actions", "push") + "]}").isEmpty());
        assertFalse(EventSchema.problems("{\"events\":[" + EventSchema.with(event, "action", "upload") + "]}").isEmpty());
        assertFalse(EventSchema.problems("{\"event\":[" + event + "]}").isEmpty());
    }

    @Test
    void emptyFieldsAreLeftOutAndTextIsEscaped() {
        String json = loginFailure("we\"ird\nname").toJson();
        JsonNode read = Json.read(json);
        assertNull(read.findValue("digest"), json);
        assertNull(read.findValue("size"), json);
        assertEquals("we\"ird\nname", read.at("/actor/name").asText(), json);
        assertFalse(json.contains("\n"), "one line per event");
        assertEquals(List.of(), EventSchema.problems(AuditEvent.envelope(List.of(json))));
    }

    @Test
    void aGivenUserNameIsCappedAndStrippedOfControlCharacters() {
        assertEquals(EventMaker.MAX_GIVEN_USER, EventMaker.cap("x".repeat(1000)).length());
        assertEquals("ab", EventMaker.cap("a\u0000\nb"));
    }

    private static AuditEvent loginFailure(String user) {
        return new AuditEvent("id-2", Instant.now(), "login.failure", new AuditEvent.Target(null, -1, null, null, null, null, null),
                new AuditEvent.Request("r-2", "10.0.0.9:5555", "gate", "GET", null), user, SOURCE);
    }

    @Test
    void aTokensIdAndLabelGoBesideTheActorNeverItsSecret() {
        AuditEvent e = new AuditEvent("id-3", Instant.parse("2026-12-01T00:00:00Z"), "push",
                new AuditEvent.Target(null, -1, null, "app", null, null, null), new AuditEvent.Request("", null, null, null, ""),
                "robot+ci", new AuditEvent.Source(null, "gate-1"),
                java.util.Optional.of(new AuditEvent.TokenRef("0123456789abcdef", "ci deploy")));
        org.junit.jupiter.api.Assertions.assertTrue(e.toJson().contains(
                "\"actor\":{\"name\":\"robot+ci\",\"tokenID\":\"0123456789abcdef\",\"tokenLabel\":\"ci deploy\"}"), e.toJson());
    }
}
