package io.portcullis.upstream;

import java.util.List;
import java.util.Map;

/** Typed reads of a parsed JSON value that tolerate absent or mistyped members (registry content is untrusted). */
public final class JsonMembers {
    private JsonMembers() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String member) {
        Object v = value instanceof Map<?, ?> m ? m.get(member) : null;
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }

    public static List<?> array(Object value, String member) {
        Object v = value instanceof Map<?, ?> m ? m.get(member) : null;
        return v instanceof List<?> l ? l : List.of();
    }

    public static String string(Object value, String member) {
        Object v = value instanceof Map<?, ?> m ? m.get(member) : null;
        return v instanceof String s ? s : "";
    }

    public static long number(Object value, String member) {
        Object v = value instanceof Map<?, ?> m ? m.get(member) : null;
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** Strings of a string array, or the one string; other members shown as their JSON-ish text. */
    public static List<String> strings(Object value, String member) {
        return array(value, member).stream().map(String::valueOf).toList();
    }
}
