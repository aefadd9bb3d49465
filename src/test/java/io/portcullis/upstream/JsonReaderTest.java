package io.portcullis.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsWhatTheRegistrySends() {
        Object doc = JsonReader.parse("{\"schemaVersion\":2,\"layers\":[{\"size\":12345678901,\"digest\":\"sha256:ab\"}],"
                + "\"annotations\":{\"a\":\"<script>\\u0041\\n\\\"q\\\"\"},\"x\":null,\"t\":true,\"f\":-1.5e2}");
        assertEquals(2L, JsonMembers.number(doc, "schemaVersion"));
        assertEquals(12345678901L, JsonMembers.number(JsonMembers.array(doc, "layers").get(0), "size"));
        assertEquals("<script>A\n\"q\"", JsonMembers.string(JsonMembers.object(doc, "annotations"), "a"));
        assertEquals(-150.0, ((Map<?, ?>) doc).get("f"));
        assertEquals(List.of(), JsonMembers.array(doc, "missing"));
        assertEquals("", JsonMembers.string(doc, "x"), "null or mistyped members read as empty");
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]x", "\"open", "{\"a\" 1}", "nul")) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
    }

    @Test
    void refusesWhatItOnceReadThoughNoJsonReaderWould() {
        // found by JsonReaderDifferentialTest: numbers outside RFC 8259's grammar, escapes JSON has not, a \\u with a
        // sign, raw control characters in a string, and Java's other whitespace between tokens
        for (String bad : List.of("01", "+1", "1.", ".5", "1.e5", "\"\\x\"", "\"\\'\"", "\"\\u+123\"",
                "\"a\u0001\"", "\"a\nb\"", "\u2028[1]", "[1]\u000b", "\u001f1")) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
        assertEquals(List.of("/\"\\\u00e9", 0L, -0.5, 1e-3, Long.MAX_VALUE),
                JsonReader.parse("[\"\\/\\\"\\\\\\u00E9\", 0, -0.5, 1E-3, 9223372036854775807]"));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        // what a user with push rights could store as an image config and have the catalog read
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertEquals(List.of(), unwrap(JsonReader.parse(ok), JsonReader.MAX_DEPTH - 1));
    }

    private static Object unwrap(Object doc, int levels) {
        Object o = doc;
        for (int i = 0; i < levels; i++) {
            o = ((List<?>) o).get(0);
        }
        return o;
    }
}
