package io.portcullis.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Turns a raw request target into the one {@link ParsedRequest} everything downstream uses. The path is decoded
 * the way Go decodes it for the registry's router, but only where that changes nothing a router sees: a
 * percent-encoded {@code /}, {@code \}, {@code ;}, a dot segment, an empty segment or any character outside the
 * registry's grammars is refused, so the decoded path the gate matches and forwards is the path the registry
 * routes. Then the routes are tried in the registry's order.
 */
public final class RequestParser {
    private RequestParser() {
    }

    /**
     * @param rawPath      the request path exactly as received ({@code getRequestURI()}), without query
     * @param rawQuery     the query exactly as received, or empty
     * @param contentTypes the request's Content-Type header values
     */
    public static ParsedRequest parse(String method, String rawPath, String rawQuery, Iterable<String> contentTypes) {
        try {
            if (!rawPath.equals("/v2") && !rawPath.startsWith("/v2/")) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "not a registry API path: the registry serves /v2/ only");
            }
            List<String> segments = decodedSegments(rawPath);
            String path = "/" + String.join("/", segments);
            for (Route route : Route.values()) {
                Matcher m = route.pattern.matcher(path);
                if (m.matches()) {
                    return operation(method, route, m, path, rawQuery, contentTypes);
                }
            }
            throw unrouted(segments);
        } catch (NotCanonical e) {
            return e.refusal();
        }
    }

    private static RegistryOperation operation(String method, Route route, Matcher m, String path, String rawQuery,
                                               Iterable<String> contentTypes) throws NotCanonical {
        Map<String, String> parameters = Map.copyOf(FormParameters.parse(rawQuery, contentTypes));
        String name = m.groupCount() >= 1 ? m.group(1) : null;
        String reference = m.groupCount() >= 2 ? m.group(2) : null;
        return new RegistryOperation(method, route, name, reference, parameters, path, rawQuery == null ? "" : rawQuery,
                List.copyOf(RequestedAccess.of(method, route, name, parameters)));
    }

    /**
     * The path's segments, percent-decoded; a segment that does not decode to grammar characters becomes null,
     * so the error can name the part that is wrong.
     */
    private static List<String> decodedSegments(String rawPath) throws NotCanonical {
        String[] raw = rawPath.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(raw.length);
        boolean bad = false;
        for (int i = 0; i < raw.length; i++) {
            String segment = decodeSegment(raw[i]);
            if (segment != null && (segment.equals(".") || segment.equals(".."))) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "'.' and '..' path segments are not accepted");
            }
            if (segment != null && segment.isEmpty() && i != raw.length - 1) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "empty path segments ('//') are not accepted");
            }
            bad |= segment == null;
            segments.add(segment);
        }
        if (bad) {
            throw unrouted(segments);
        }
        return segments;
    }

    /** The segment decoded, or null when it holds (or encodes) anything outside the registry's grammars. */
    private static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return Grammar.SEGMENT_CHARS.matcher(raw).matches() ? raw : null;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || FormParameters.hex(raw.charAt(i + 1)) < 0 || FormParameters.hex(raw.charAt(i + 2)) < 0) {
                    return null;
                }
                c = (char) (FormParameters.hex(raw.charAt(i + 1)) * 16 + FormParameters.hex(raw.charAt(i + 2)));
                i += 2;
            }
            out.append(c);
        }
        String decoded = out.toString();
        return Grammar.SEGMENT_CHARS.matcher(decoded).matches() ? decoded : null;
    }

    /**
     * Why a path under /v2/ is no route, in the registry's words where one fits: which part of
     * {@code name/manifests/reference}, {@code name/blobs/digest}, {@code name/blobs/uploads/id} is wrong.
     */
    private static NotCanonical unrouted(List<String> segments) {
        int n = segments.size();
        String last = segments.get(n - 1);
        String beforeLast = n >= 2 ? segments.get(n - 2) : null;
        int nameEnd;
        RegistryError partError;
        String part;
        if (n >= 4 && "uploads".equals(beforeLast) && "blobs".equals(segments.get(n - 3))) {
            nameEnd = n - 3;
            partError = RegistryError.UNSUPPORTED;
            part = "upload id";
        } else if ("manifests".equals(beforeLast)) {
            nameEnd = n - 2;
            boolean digest = last != null && Grammar.DIGEST_LIKE.matcher(last).matches();
            partError = digest ? RegistryError.DIGEST_INVALID : RegistryError.TAG_INVALID;
            part = digest ? "digest" : "tag";
        } else if ("blobs".equals(beforeLast) || "referrers".equals(beforeLast)) {
            nameEnd = n - 2;
            partError = RegistryError.DIGEST_INVALID;
            part = "digest";
        } else if ("list".equals(last) && "tags".equals(beforeLast)) {
            nameEnd = n - 2;
            partError = RegistryError.NAME_INVALID;
            part = "repository name";
        } else {
            return new NotCanonical(RegistryError.UNSUPPORTED, "not a registry API path");
        }
        List<String> name = segments.subList(1, Math.max(1, nameEnd));
        if (name.isEmpty() || name.contains(null) || !Grammar.NAME_PATTERN.matcher(String.join("/", name)).matches()) {
            return new NotCanonical(RegistryError.NAME_INVALID,
                    "invalid repository name (lower-case components separated by '/'; an encoded '/' is not one)");
        }
        return new NotCanonical(partError, "invalid " + part + " in the path (an encoded '/', '\\' or ';' is never part of one)");
    }
}
