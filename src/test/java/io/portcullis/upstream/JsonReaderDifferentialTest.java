package io.portcullis.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The hand-written {@link JsonReader} against Jackson (strict: trailing tokens refused) on generated documents:
 * objects (with repeated member names), arrays, strings with every escape, {@code \\u} escapes in both cases,
 * surrogate pairs escaped and raw, lone escaped surrogates, non-ASCII text, numbers of every shape of RFC 8259's
 * grammar, nesting and the four whitespace characters between every token. Each document, and mutations of it
 * (a character deleted, inserted, replaced; cut short; something appended), must be read to the same value by
 * both or refused by both.
 *
 * <p>Where JsonReader deliberately differs (each has an example below): it refuses nesting deeper than
 * {@link JsonReader#MAX_DEPTH} (a pushed image config must not overflow a worker's stack; Jackson allows 1000),
 * and it reads an integer beyond a long as the nearest double (registry documents hold sizes below 2^63; Jackson
 * keeps a BigInteger), so integers are compared as a long when they fit and as that double when they do not.
 */
class JsonReaderDifferentialTest {
    private static final String WHITESPACE = " \t\n\r";
    /** Characters a string may hold unescaped that are not ASCII letters, or that Java would call whitespace. */
    private static final String RAW = "é中ß\u00a0\u2028\u007f";
    /** What a mutation inserts or replaces with: structure, number parts, escapes, and characters JSON forbids raw. */
    private static final String MUTATIONS = "{}[]:,\"\\ 0123456789+-.eEtfnulx'/\u0000\u0001\u001f\u000b\u000c\u00a0\u2028\ud83d";

    /** JSON's null, apart from the string "null". */
    private enum Null { NULL }

    /** What a reader made of a text: the value in a comparable form, or that it refused it. */
    private record Outcome(boolean refused, Object value) {
        static final Outcome REFUSED = new Outcome(true, null);

        @Override
        public String toString() {
            return refused ? "refused" : String.valueOf(value);
        }
    }

    @Property(tries = 4000)
    void validDocumentsReadToTheSameValue(@ForAll("documents") String text) {
        Outcome jackson = jackson(text);
        assertFalse(jackson.refused(), () -> "the generator made invalid JSON: " + show(text));
        assertEquals(jackson, reader(text), () -> show(text));
    }

    @Property(tries = 6000)
    void mutatedDocumentsAreReadAlikeOrRefusedByBoth(@ForAll("mutated") String text) {
        Outcome jackson = jackson(text);
        Statistics.label("Jackson").collect(jackson.refused() ? "refused" : "read");
        assertEquals(jackson, reader(text), () -> show(text));
        // not a formality: most mutations must make invalid JSON, and some must not
        Statistics.label("Jackson").coverage(c -> {
            c.check("refused").percentage(p -> p > 50);
            c.check("read").percentage(p -> p > 5);
        });
    }

    @Example
    void whatRfc8259ForbidsBothRefuse() {
        for (String bad : List.of("", " ", "01", "-01", "00", "+1", "1.", ".5", "1.e5", "1e", "1e+", "-", "--1", "1-2",
                "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "True", "'a'", "[1,]", "{\"a\":1,}", "[,1]",
                "{\"a\"}", "{a:1}", "[1 2]", "[1] [2]", "[1]x", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\u+123\"",
                "\"\\u-123\"", "\"\\U0041\"", "\"\\'\"", "\"a\u0001\"", "\"a\nb\"", "\"a\tb\"", "\"\u0000\"", "\u000b[1]",
                "[1]\u000c", "\u00a0[1]", "[\u2028]", "//c\n1", "/*c*/1", "\"open", "\"\\", "{\"a\":1")) {
            assertEquals(Outcome.REFUSED, jackson(bad), () -> "Jackson read " + show(bad));
            assertEquals(Outcome.REFUSED, reader(bad), () -> "JsonReader read " + show(bad));
        }
    }

    @Example
    void nestingBeyondMaxDepthIsRefusedThoughJacksonReadsIt() {
        int depth = JsonReader.MAX_DEPTH + 1;
        String deep = "[".repeat(depth) + "]".repeat(depth);
        assertFalse(jackson(deep).refused());
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));
    }

    @Example
    void anIntegerBeyondALongIsReadAsTheNearestDouble() {
        String big = "123456789012345678901234567890";
        assertEquals(1.2345678901234568E29, JsonReader.parse(big));
        assertEquals(new java.math.BigInteger(big), Json.read(big).bigIntegerValue());
    }

    @Provide
    Arbitrary<String> documents() {
        return Arbitraries.randomValue(r -> new Writer(r).document());
    }

    @Provide
    Arbitrary<String> mutated() {
        return Arbitraries.randomValue(r -> mutate(r, new Writer(r).document()));
    }

    private static String mutate(Random r, String doc) {
        StringBuilder s = new StringBuilder(doc);
        int times = 1 + r.nextInt(2);
        for (int i = 0; i < times; i++) {
            int at = r.nextInt(s.length() + 1);
            char c = MUTATIONS.charAt(r.nextInt(MUTATIONS.length()));
            switch (r.nextInt(5)) {
                case 0 -> {
                    if (at < s.length()) {
                        s.deleteCharAt(at);
                    }
                }
                case 1 -> s.insert(at, c);
                case 2 -> {
                    if (at < s.length()) {
                        s.setCharAt(at, c);
                    }
                }
                case 3 -> s.setLength(at);
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /** Writes one random JSON document, by RFC 8259's grammar, whitespace and all. */
    private static final class Writer {
        private final Random r;
        private final StringBuilder out = new StringBuilder();

        Writer(Random r) {
            this.r = r;
        }

        String document() {
            space();
            value(1 + r.nextInt(5));
            space();
            return out.toString();
        }

        private void value(int depth) {
            int pick = r.nextInt(depth > 0 ? 10 : 6);
            switch (pick) {
                case 0, 1 -> string();
                case 2, 3 -> number();
                case 4 -> out.append(r.nextBoolean() ? "true" : "false");
                case 5 -> out.append("null");
                case 6, 7 -> container(depth, '{', '}');
                default -> container(depth, '[', ']');
            }
        }

        private void container(int depth, char open, char close) {
            out.append(open);
            space();
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    space();
                    out.append(',');
                    space();
                }
                if (open == '{') {
                    if (r.nextInt(3) == 0) {
                        out.append(r.nextBoolean() ? "\"a\"" : "\"b\""); // repeated names: the last one wins in both
                    } else {
                        string();
                    }
                    space();
                    out.append(':');
                    space();
                }
                value(depth - 1);
            }
            space();
            out.append(close);
        }

        private void string() {
            out.append('"');
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(9)) {
                    case 0 -> out.append('\\').append("\"\\/bfnrt".charAt(r.nextInt(8)));
                    case 1 -> out.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", r.nextInt(0x10000)));
                    case 2 -> {
                        int codePoint = 0x10000 + r.nextInt(0x100000);
                        char[] pair = Character.toChars(codePoint);
                        out.append(String.format("\\u%04X\\u%04x", (int) pair[0], (int) pair[1]));
                    }
                    case 3 -> out.appendCodePoint(0x1F300 + r.nextInt(0x300)); // a raw surrogate pair
                    case 4 -> out.append(RAW.charAt(r.nextInt(RAW.length())));
                    case 5 -> out.append(String.format("\\u%04x", 0xD800 + r.nextInt(0x800))); // a lone surrogate
                    default -> {
                        char c = (char) (0x20 + r.nextInt(0x5f));
                        out.append(c == '"' || c == '\\' ? "x" : String.valueOf(c));
                    }
                }
            }
            out.append('"');
        }

        private void number() {
            if (r.nextInt(3) == 0) {
                out.append('-');
            }
            if (r.nextInt(4) == 0) {
                out.append('0');
            } else {
                out.append((char) ('1' + r.nextInt(9)));
                digits(r.nextInt(r.nextInt(4) == 0 ? 25 : 6)); // sometimes beyond a long
            }
            if (r.nextInt(3) == 0) {
                out.append('.');
                digits(1 + r.nextInt(6));
            }
            if (r.nextInt(4) == 0) {
                out.append(r.nextBoolean() ? 'e' : 'E');
                int sign = r.nextInt(3);
                out.append(sign == 0 ? "" : sign == 1 ? "+" : "-");
                digits(1 + r.nextInt(3));
            }
        }

        private void digits(int n) {
            for (int i = 0; i < n; i++) {
                out.append((char) ('0' + r.nextInt(10)));
            }
        }

        private void space() {
            int n = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
            for (int i = 0; i < n; i++) {
                out.append(WHITESPACE.charAt(r.nextInt(WHITESPACE.length())));
            }
        }
    }

    private static Outcome jackson(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node == null || node.isMissingNode() ? Outcome.REFUSED : new Outcome(false, comparable(node));
        } catch (JsonProcessingException e) {
            return Outcome.REFUSED;
        }
    }

    private static Outcome reader(String text) {
        try {
            return new Outcome(false, comparable(JsonReader.parse(text)));
        } catch (IllegalArgumentException e) {
            return Outcome.REFUSED;
        }
    }

    /** Objects as ordered lists of [name, value] (member order is part of what is read), numbers as Long or Double. */
    private static Object comparable(JsonNode node) {
        if (node.isObject()) {
            List<Object> members = new ArrayList<>();
            node.fields().forEachRemaining(e -> members.add(List.of(e.getKey(), comparable(e.getValue()))));
            return members;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(n -> items.add(comparable(n)));
            return items;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return Null.NULL;
    }

    private static Object comparable(Object read) {
        if (read instanceof Map<?, ?> map) {
            List<Object> members = new ArrayList<>();
            map.forEach((k, v) -> members.add(List.of(k, comparable(v))));
            return members;
        }
        if (read instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(v -> items.add(comparable(v)));
            return items;
        }
        return read == null ? Null.NULL : read;
    }

    /** The text with what cannot be seen made visible, for a failure message. */
    private static String show(String text) {
        StringBuilder s = new StringBuilder("'");
        text.chars().forEach(c -> s.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return s.append("'").toString();
    }
}
