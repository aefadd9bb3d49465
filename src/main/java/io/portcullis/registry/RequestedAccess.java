package io.portcullis.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request to the accesses distribution's {@code appendAccessRecords} would ask for, so the gate's 401
 * names the same resources the registry's own htpasswd auth would (and later access rules can reuse it).
 */
public final class RequestedAccess {
    // The name is matched lazily so that a repository called e.g. "a/blobs/b" still parses.
    private static final Pattern REPOSITORY_ROUTE = Pattern.compile(
            "^/v2/(?<name>[^?]+?)/(?:manifests/[^/]+|blobs/uploads/?[^/]*|blobs/[^/]+|tags/list)$");
    private static final Pattern FROM_PARAM = Pattern.compile("(?:^|&)from=([^&]*)");
    private static final Pattern MOUNT_PARAM = Pattern.compile("(?:^|&)mount=");

    private RequestedAccess() {
    }

    /**
     * @param method request method
     * @param path   raw request path, without query
     * @param query  raw query string, or empty
     */
    public static List<Access> of(String method, String path, String query) {
        if ("/v2/_catalog".equals(path)) {
            return List.of(new Access("registry", "catalog", "*"));
        }
        Matcher route = REPOSITORY_ROUTE.matcher(path);
        if (!route.matches()) {
            return List.of();
        }
        String name = route.group("name");
        List<Access> accesses = new ArrayList<>(3);
        switch (method) {
            case "GET", "HEAD" -> accesses.add(Access.repository(name, "pull"));
            case "POST", "PUT", "PATCH" -> {
                accesses.add(Access.repository(name, "pull"));
                accesses.add(Access.repository(name, "push"));
                mountSource(path, query).ifPresent(from -> accesses.add(Access.repository(from, "pull")));
            }
            case "DELETE" -> accesses.add(Access.repository(name, "delete"));
            default -> {
            }
        }
        return accesses;
    }

    private static java.util.Optional<String> mountSource(String path, String query) {
        if (query == null || query.isEmpty() || !path.contains("/blobs/uploads") || !MOUNT_PARAM.matcher(query).find()) {
            return java.util.Optional.empty();
        }
        Matcher from = FROM_PARAM.matcher(query);
        if (!from.find() || from.group(1).isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(java.net.URLDecoder.decode(from.group(1), java.nio.charset.StandardCharsets.UTF_8));
    }
}
