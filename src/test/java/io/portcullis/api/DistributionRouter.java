package io.portcullis.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model, written for the tests and independent of the gate's parser, of what docker-registry 2.8 acts on for a
 * request: Go's net/http decodes the path ({@code url.PathUnescape}), gorilla/mux cleans it (redirecting when that
 * changes it) and tries the routes in order, each a regexp on the decoded path with {@code [/]?} appended
 * ({@code StrictSlash(true)}: a differing trailing slash is a redirect), and handlers read parameters with
 * {@code r.FormValue}. Sources (distribution v2.8.2):
 * <ul>
 * <li>https://github.com/distribution/distribution/blob/v2.8.2/registry/api/v2/routes.go (order, StrictSlash)</li>
 * <li>https://github.com/distribution/distribution/blob/v2.8.2/registry/api/v2/descriptors.go (route templates)</li>
 * <li>https://github.com/distribution/distribution/blob/v2.8.2/reference/regexp.go (NameRegexp, TagRegexp)</li>
 * <li>vendor/github.com/opencontainers/go-digest/digest.go in the same tree (DigestRegexp used by the routes)</li>
 * <li>https://github.com/distribution/distribution/blob/v2.8.2/registry/handlers/app.go (appendAccessRecords,
 * {@code from} adds pull on the source)</li>
 * <li>Go's net/http {@code Request.ParseForm}/{@code ParseMultipartForm}/{@code FormValue} and net/url
 * {@code ParseQuery}: POST/PUT/PATCH form bodies first, then the query, then multipart values; pairs with an
 * invalid escape or a ';' are skipped (Go 1.17+).</li>
 * </ul>
 */
final class DistributionRouter {
    // reference/regexp.go; the separator (?:[._]|__|[-]*) is written (?:[._]|__|-+): the same language, and it keeps
    // Java's backtracking linear where [-]* inside a repetition would be exponential
    private static final String ALNUM = "[a-z0-9]+";
    private static final String COMPONENT = ALNUM + "(?:(?:(?:[._]|__|-+)" + ALNUM + ")+)?";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:(?:\\." + DOMAIN_COMPONENT + ")+)?(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:(?:/" + COMPONENT + ")+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    // go-digest v1.0.0 DigestRegexp, vendored by 2.8.2; measured: sha256:zz routes (400 DIGEST_INVALID), SHA256:aa not (404)
    private static final String DIGEST = "[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+";

    /** Route templates in routeDescriptors order; {name} etc. become capturing groups. */
    private static final List<String[]> ROUTES = List.of(
            new String[] {"BASE", "/v2/"},
            new String[] {"MANIFEST", "/v2/(NAME)/manifests/(" + TAG + "|" + DIGEST + ")"},
            new String[] {"TAGS", "/v2/(NAME)/tags/list"},
            new String[] {"BLOB", "/v2/(NAME)/blobs/(" + DIGEST + ")"},
            new String[] {"UPLOAD_START", "/v2/(NAME)/blobs/uploads/"},
            new String[] {"UPLOAD", "/v2/(NAME)/blobs/uploads/([a-zA-Z0-9-_.=]+)"},
            new String[] {"CATALOG", "/v2/_catalog"});

    private DistributionRouter() {
    }

    /** What the registry acts on: the route's name, the repository (or null) and its FormValue parameters. */
    record Action(String route, String name, Map<String, String> form) {
        String formValue(String key) {
            return form.getOrDefault(key, "");
        }
    }

    /**
     * What the registry answers before a handler runs, or that a handler runs.
     *
     * @param status   400 (Go cannot decode the path), 200 on "/" (its liveness handler), 301 (mux redirects), 404
     *                 (no route), or 0: a route's handler acts, see {@code action}
     * @param location the 301's Location
     */
    record Answer(int status, String location, Optional<Action> action) {
    }

    /** @return empty when the registry does not act: a 400 from Go, a redirect from mux, or no route (404) */
    static Optional<Action> act(String method, String target, String contentType, List<String[]> bodyForm) {
        return answer(method, target, contentType, bodyForm).action();
    }

    /**
     * @param bodyForm the body's fields when the request has a form body ({@code contentType} says which kind)
     */
    static Answer answer(String method, String target, String contentType, List<String[]> bodyForm) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? "" : target.substring(q + 1);
        String query = rawQuery.isEmpty() ? "" : "?" + rawQuery;
        String path = unescape(rawPath, false);
        if (path == null) {
            return new Answer(400, null, Optional.empty());
        }
        if (path.equals("/")) {
            // registry.go wraps the app in alive("/", ...): 200, empty, on exactly "/"
            return new Answer(200, null, Optional.empty());
        }
        if (!cleanPath(path).equals(path)) {
            // mux: url := *req.URL; url.Path = cleanPath(path); Location: url.String() (the query kept)
            return new Answer(301, goEscapePath(cleanPath(path)) + query, Optional.empty());
        }
        for (String[] route : ROUTES) {
            String template = route[1].replace("NAME", NAME);
            boolean endSlash = template.endsWith("/");
            String regex = "^" + (endSlash ? template.substring(0, template.length() - 1) : template) + "[/]?$";
            Matcher m = Pattern.compile(regex).matcher(path);
            if (m.matches()) {
                if (path.endsWith("/") != endSlash) {
                    // StrictSlash: http.RedirectHandler(u.String()) with u.Path given or stripped the slash
                    String other = endSlash ? path + "/" : path.substring(0, path.length() - 1);
                    return new Answer(301, goEscapePath(other) + query, Optional.empty());
                }
                String name = m.groupCount() >= 1 ? m.group(1) : null;
                return new Answer(0, null, Optional.of(new Action(route[0], name, form(method, rawQuery, contentType, bodyForm))));
            }
        }
        return new Answer(404, null, Optional.empty());
    }

    /** net/url escape(s, encodePath): unreserved characters and $&+,/:;=@ stay, every other byte is %XX. */
    static String goEscapePath(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
            int c = b & 0xff;
            boolean keep = Character.isLetterOrDigit(c) && c < 0x80 || "-_.~$&+,/:;=@".indexOf(c) >= 0;
            out.append(keep ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return out.toString();
    }

    /** The accesses app.go's authorized() asks for. */
    static List<Access> accesses(String method, Action action) {
        List<Access> out = new ArrayList<>();
        if (action.name() == null) {
            if (action.route().equals("CATALOG")) {
                out.add(new Access("registry", "catalog", "*"));
            }
            return out;
        }
        switch (method) {
            case "GET", "HEAD" -> out.add(Access.repository(action.name(), "pull"));
            case "POST", "PUT", "PATCH" -> {
                out.add(Access.repository(action.name(), "pull"));
                out.add(Access.repository(action.name(), "push"));
            }
            case "DELETE" -> out.add(Access.repository(action.name(), "delete"));
            default -> {
            }
        }
        if (!action.formValue("from").isEmpty()) {
            out.add(Access.repository(action.formValue("from"), "pull"));
        }
        return out;
    }

    /** First value of every key, as FormValue returns it. */
    private static Map<String, String> form(String method, String rawQuery, String contentType, List<String[]> bodyForm) {
        List<String[]> pairs = new ArrayList<>();
        String media = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean bodyMethod = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        if (bodyMethod && media.equals("application/x-www-form-urlencoded")) {
            pairs.addAll(bodyForm);
        }
        pairs.addAll(parseQuery(rawQuery));
        if (media.equals("multipart/form-data")) {
            pairs.addAll(bodyForm);
        }
        Map<String, String> first = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            first.putIfAbsent(pair[0], pair[1]);
        }
        return first;
    }

    /** net/url parseQuery (Go 1.17+). */
    static List<String[]> parseQuery(String query) {
        List<String[]> out = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty() || pair.contains(";")) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = unescape(eq < 0 ? "" : pair.substring(eq + 1), true);
            if (key != null && value != null) {
                out.add(new String[] {key, value});
            }
        }
        return out;
    }

    /** net/url unescape in path or query-component mode, bytes as ISO-8859-1 chars; null on an error. */
    static String unescape(String s, boolean query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return null;
                }
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && query) {
                out.write(' ');
            } else if (c < 0x20 || c == 0x7f) {
                return null; // Go rejects control characters in a URL
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** gorilla/mux cleanPath: path.Clean, keeping a trailing slash. */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
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
        if (p.endsWith("/") && !np.equals("/")) {
            np += "/";
        }
        return np;
    }
}
