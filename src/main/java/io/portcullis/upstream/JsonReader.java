package io.portcullis.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for what the registry returns (manifests, indexes, image configs, catalog and tag
 * lists): objects become {@link Map}s in document order, arrays {@link List}s, numbers {@link Long} or
 * {@link Double}. Only for reading; it keeps the gate free of a JSON library for a handful of documents.
 */
final class JsonReader {
    /**
     * Deepest nesting accepted. Registry documents nest four or five levels; the reader recurses, so a pushed
     * "config" of a million '[' must be refused, not overflow the worker's stack (-Xss512k in the image).
     */
    static final int MAX_DEPTH = 64;
    private static final String WHITESPACE = " \t\n\r";
    private static final String HEX = "0123456789abcdefABCDEF";

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        Object value = r.value();
        r.space();
        if (r.pos != text.length()) {
            throw r.error("trailing characters");
        }
        return value;
    }

    private Object value() {
        space();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        if ((c == '{' || c == '[') && depth >= MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (c) {
            case '{' -> nested(this::object);
            case '[' -> nested(this::array);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object nested(java.util.function.Supplier<Object> reader) {
        depth++;
        try {
            return reader.get();
        } finally {
            depth--;
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        space();
        if (peek('}')) {
            pos++;
            return map;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a member name");
            }
            String key = string();
            space();
            expect(':');
            map.put(key, value());
            space();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        space();
        if (peek(']')) {
            pos++;
            return list;
        }
        while (true) {
            list.add(value());
            space();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hexChar());
                default -> {
                    pos--;
                    throw error("bad escape");
                }
            }
        }
        throw error("unterminated string");
    }

    /** The four hex digits after {@code \\u}: exactly four, no sign (Integer.parseInt alone would take "+123"). */
    private char hexChar() {
        if (pos + 4 > text.length()) {
            throw error("bad \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = HEX.indexOf(text.charAt(pos + i));
            if (digit < 0) {
                throw error("bad \\u escape");
            }
            value = value * 16 + (digit < 16 ? digit : digit - 6);
        }
        pos += 4;
        return (char) value;
    }

    /**
     * A number by RFC 8259's grammar: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}; a Long when it is
     * an integer that fits, a Double otherwise (an integer beyond a long too: no registry document holds one).
     */
    private Object number() {
        int start = pos;
        skip('-');
        if (!skip('0')) {
            if (pos >= text.length() || text.charAt(pos) < '1' || text.charAt(pos) > '9') {
                throw error("unexpected character");
            }
            digits();
        }
        boolean integer = true;
        if (skip('.')) {
            integer = false;
            if (digits() == 0) {
                throw error("expected a digit");
            }
        }
        if (skip('e') || skip('E')) {
            integer = false;
            if (!skip('+')) {
                skip('-');
            }
            if (digits() == 0) {
                throw error("expected a digit");
            }
        }
        String n = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException beyondALong) {
                return Double.parseDouble(n);
            }
        }
        return Double.parseDouble(n);
    }

    private boolean skip(char c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** JSON's four whitespace characters only (Character.isWhitespace would also pass U+2028, U+000B ...). */
    private void space() {
        while (pos < text.length() && WHITESPACE.indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
    }
}
