package io.portcullis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** distribution's notification envelope as a JSON schema (test resources), and the events read back as JSON. */
public final class EventSchema {
    private static final Schema ENVELOPE = load();

    private EventSchema() {
    }

    private static Schema load() {
        try (InputStream in = EventSchema.class.getResourceAsStream("/audit/distribution-events.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about an envelope; empty when it is valid. */
    public static List<String> problems(String envelopeJson) {
        List<String> out = new ArrayList<>();
        for (Error e : ENVELOPE.validate(Json.read(envelopeJson))) {
            out.add(e.toString());
        }
        return out;
    }

    /** Each line of an audit log, checked against the schema wrapped in an envelope; fails on the first bad one. */
    public static List<JsonNode> validLines(List<String> lines) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            List<String> problems = problems("{\"events\":[" + line + "]}");
            if (!problems.isEmpty()) {
                throw new AssertionError("audit line does not match distribution's event schema: " + problems + "\n" + line);
            }
            events.add(Json.read(line));
        }
        return events;
    }

    /** The events of a valid envelope; fails when it is not. */
    public static List<JsonNode> validEnvelope(String envelopeJson) {
        List<String> problems = problems(envelopeJson);
        if (!problems.isEmpty()) {
            throw new AssertionError("envelope does not match distribution's schema: " + problems + "\n" + envelopeJson);
        }
        List<JsonNode> events = new ArrayList<>();
        Json.read(envelopeJson).get("events").forEach(events::add);
        return events;
    }

    /** A copy of {@code node} with {@code field} set, for negative schema tests. */
    public static String with(JsonNode node, String field, String value) {
        ObjectNode copy = node.deepCopy();
        copy.put(field, value);
        return copy.toString();
    }
}
