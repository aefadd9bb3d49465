package io.portcullis.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What docker-registry 2.8 answers before any of its handlers runs, measured against it (docs/router-answers.md):
 * Go decodes the path ({@code url.PathUnescape}; a bad escape is Go's 400), {@code /} is the liveness path (200),
 * gorilla/mux redirects (301) to {@code path.Clean} of the decoded path when that differs, then tries the routes in
 * order on the decoded path, each with {@code [/]?} appended ({@code StrictSlash}: a differing trailing slash is a
 * 301 too), and answers 404 when none matches. Everything here reads the path only: nothing the registry stores.
 */
final class RegistryRouter {
    /** The route templates the registry matches, its whole name grammar included (host-prefixed names route). */
    private static final List<Pattern> ROUTES = List.of(
            route("/v2/"),
            route("/v2/" + Grammar.ROUTED_NAME + "/manifests/(?:" + Grammar.TAG + "|" + Grammar.DIGEST + ")"),
            route("/v2/" + Grammar.ROUTED_NAME + "/tags/list"),
            route("/v2/" + Grammar.ROUTED_NAME + "/blobs/" + Grammar.DIGEST),
            route("/v2/" + Grammar.ROUTED_NAME + "/blobs/uploads/"),
            route("/v2/" + Grammar.ROUTED_NAME + "/blobs/uploads/" + Grammar.UPLOAD_ID),
            route("/v2/_catalog"),
            // not a route in 2.8 (which answers 404 from its router), but in registries after it: forwarded, so the
            // registry behind the gate gives its own answer
            route("/v2/" + Grammar.ROUTED_NAME + "/referrers/" + Grammar.DIGEST));

    /**
     * Longer paths are refused before any pattern runs: Java's regex engine recurses once per repetition of a name
     * component, and a 40 KB path of "a-a-a-…" overflowed the stack (measured). Every path the registry serves is
     * far shorter: a 255-character name, a 128-character tag or a sha512 digest, the words between.
     */
    static final int MAX_PATH = 2048;

    private RegistryRouter() {
    }

    private static Pattern route(String template) {
        String body = template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
        return Pattern.compile(body + "/?");
    }

    /** The router's own answer, or empty when the decoded path reaches one of the registry's handlers. */
    static Optional<RouterAnswer> answer(String rawPath, String rawQuery) {
        if (rawPath.length() > MAX_PATH) {
            return Optional.of(new RouterAnswer(414, RegistryError.UNSUPPORTED, "the path is longer than " + MAX_PATH
                    + " characters; no registry path is (names have at most 255)", Optional.empty()));
        }
        String path = unescape(rawPath);
        if (path == null) {
            return Optional.of(new RouterAnswer(400, RegistryError.UNSUPPORTED,
                    "the path has an invalid percent-encoding ('%' must be followed by two hex digits; no control characters)",
                    Optional.empty()));
        }
        if (rawPath.equals("/")) {
            return Optional.of(new RouterAnswer(200, RegistryError.UNSUPPORTED, "the registry's liveness path", Optional.empty()));
        }
        String query = rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery;
        String clean = cleanPath(path);
        if (!clean.equals(path)) {
            return Optional.of(RouterAnswer.redirect(escape(clean) + query));
        }
        for (Pattern route : ROUTES) {
            if (route.matcher(path).matches()) {
                boolean wantsSlash = route.pattern().endsWith("/v2/?") || route.pattern().endsWith("uploads/?");
                if (path.endsWith("/") != wantsSlash) {
                    String other = wantsSlash ? path + "/" : path.substring(0, path.length() - 1);
                    return Optional.of(RouterAnswer.redirect(escape(other) + query));
                }
                return Optional.empty();
            }
        }
        return Optional.of(UnroutedPath.notFound(path));
    }

    /** Go's url.PathUnescape, bytes as ISO-8859-1 chars; null where Go refuses the request target. */
    static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || FormParameters.hex(s.charAt(i + 1)) < 0 || FormParameters.hex(s.charAt(i + 2)) < 0) {
                    return null;
                }
                out.write(FormParameters.hex(s.charAt(i + 1)) * 16 + FormParameters.hex(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x20 || c == 0x7f || c > 0xff) {
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Go's url escaping of a path ({@code encodePath}), as mux's redirect writes its Location: a {@code \} becomes
     * {@code %5C}, so no Location starts {@code /\} (which browsers would take for another host).
     */
    static String escape(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~$&+,/:;=@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** gorilla/mux cleanPath: Go's path.Clean, keeping a trailing slash. Never starts with "//". */
    static String cleanPath(String p) {
        Deque<String> out = new ArrayDeque<>();
        for (String segment : p.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(segment);
            }
        }
        String np = "/" + String.join("/", out);
        return p.endsWith("/") && !np.equals("/") ? np + "/" : np;
    }
}
