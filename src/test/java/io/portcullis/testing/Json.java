package io.portcullis.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way tests read JSON (Jackson): a body, a CLI's output, an audit line is read as a tree and asserted on by
 * field, never by regex or {@code contains("\"name\":...")}, so a reordered or re-spaced document still passes and
 * a wrong value still fails. Exact bytes are compared as strings only where the bytes themselves are the point
 * (the registry's error bodies, answered byte for byte as distribution does).
 */
public final class Json {
    /** Strict: a document followed by anything but whitespace is not one document. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private Json() {
    }

    /** The document in {@code text}; a test failure naming the text when it is not exactly one JSON value. */
    public static JsonNode read(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new AssertionError("not JSON (empty): '" + text + "'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (" + e.getOriginalMessage() + "): " + text, e);
        }
    }

    /** JSON Lines (an audit or access log): one document per non-blank line. */
    public static List<JsonNode> lines(String text) {
        List<JsonNode> out = new ArrayList<>();
        text.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(read(l)));
        return out;
    }

    /** The code of each error of a registry error body ({@code {"errors":[{"code":...}]}}), in order. */
    public static List<String> errorCodes(String body) {
        List<String> codes = new ArrayList<>();
        read(body).path("errors").forEach(e -> codes.add(e.path("code").asText()));
        return codes;
    }

    /** The texts of an array node ({@code repositories}, {@code tags}, skopeo's {@code Layers}); empty when absent. */
    public static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** The strict mapper itself, for a test that compares Jackson's reading with another reader's. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
