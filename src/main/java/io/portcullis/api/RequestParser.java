package io.portcullis.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Turns a raw request target into the one {@link ParsedRequest} everything downstream uses. First what the
 * registry's router answers by itself ({@link RegistryRouter}: 404, 301, Go's 400), the same whoever asks. Of what
 * it routes, the path is decoded the way Go decodes it, but only where that changes nothing a router sees: a
 * percent-encoded {@code /} or a host-prefixed name is refused, so the decoded path the gate matches and forwards is
 * the path the registry routes. Then the routes are tried in the registry's order.
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
            Optional<RouterAnswer> routerAnswer = RegistryRouter.answer(rawPath, rawQuery);
            if (routerAnswer.isPresent()) {
                return routerAnswer.get();
            }
            List<String> segments = decodedSegments(rawPath);
            String path = "/" + String.join("/", segments);
            for (Route route : Route.values()) {
                Matcher m = route.pattern.matcher(path);
                if (m.matches()) {
                    return operation(method, route, m, path, rawQuery, contentTypes);
                }
            }
            throw notForwarded(segments);
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
            throw notForwarded(segments);
        }
        return segments;
    }

    /** The segment decoded, or null when it holds (or encodes) anything outside the registry's grammars. */
    private static String decodeSegment(String raw) {
        String decoded = RegistryRouter.unescape(raw);
        return decoded != null && Grammar.SEGMENT_CHARS.matcher(decoded).matches() ? decoded : null;
    }

    /**
     * Why a path the registry routes is not forwarded: it got here encoded in a way that reads differently once
     * decoded (an encoded '/' in a segment, which the router reads as a separator), or with a registry host prefix on
     * the name (the registry would store it under that host's name; clients never send one).
     */
    private static NotCanonical notForwarded(List<String> segments) {
        int n = segments.size();
        if (!segments.contains(null)) {
            return new NotCanonical(RegistryError.NAME_INVALID,
                    "repository names with a registry host prefix (host[:port]/) are not accepted: send the name without it");
        }
        String beforeLast = n >= 2 ? segments.get(n - 2) : null;
        String part = "the repository name";
        RegistryError error = RegistryError.NAME_INVALID;
        if (segments.get(n - 1) == null && segments.indexOf(null) == n - 1) {
            if ("uploads".equals(beforeLast)) {
                part = "the upload id";
                error = RegistryError.UNSUPPORTED;
            } else if ("manifests".equals(beforeLast)) {
                part = "the manifest reference";
                error = RegistryError.TAG_INVALID;
            } else if ("blobs".equals(beforeLast) || "referrers".equals(beforeLast)) {
                part = "the digest";
                error = RegistryError.DIGEST_INVALID;
            }
        }
        return new NotCanonical(error, "an encoded '/' (%2F) in " + part
                + " is not accepted: the registry would read it as a path separator, so the request would mean something else to it");
    }
}
