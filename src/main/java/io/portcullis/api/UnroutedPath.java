package io.portcullis.api;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The 404 for a decoded path no registry route matches, with the registry error code of the part that is wrong, so
 * a client reads "manifest unknown: the reference is neither a tag nor a digest" instead of the registry's bare
 * "404 page not found". The status is the registry's; only the body is more helpful.
 */
final class UnroutedPath {
    private static final Pattern ROUTED_NAME = Pattern.compile(Grammar.ROUTED_NAME);

    private UnroutedPath() {
    }

    static RouterAnswer notFound(String path) {
        if (!path.equals("/v2") && !path.startsWith("/v2/")) {
            return RouterAnswer.notFound(RegistryError.NO_ROUTE, "not a registry API path: the registry serves /v2/ only");
        }
        List<String> segments = Arrays.asList(path.substring(1).split("/", -1));
        int n = segments.size();
        String last = segments.get(n - 1);
        String beforeLast = n >= 2 ? segments.get(n - 2) : "";
        int nameEnd;
        RouterAnswer part;
        if (n >= 4 && "uploads".equals(beforeLast) && "blobs".equals(segments.get(n - 3))) {
            nameEnd = n - 3;
            part = RouterAnswer.notFound(RegistryError.BLOB_UPLOAD_UNKNOWN,
                    "blob upload unknown: the upload id in the path is not one the registry hands out ([A-Za-z0-9-_.=]+)");
        } else if ("manifests".equals(beforeLast)) {
            nameEnd = n - 2;
            part = RouterAnswer.notFound(RegistryError.MANIFEST_UNKNOWN,
                    "manifest unknown: the reference in the path is neither a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) nor a digest (algorithm:hex)");
        } else if ("blobs".equals(beforeLast)) {
            nameEnd = n - 2;
            part = RouterAnswer.notFound(RegistryError.BLOB_UNKNOWN,
                    "blob unknown: the last part of the path is not a digest (algorithm:hex)");
        } else if ("list".equals(last) && "tags".equals(beforeLast)) {
            nameEnd = n - 2;
            part = null;
        } else {
            return RouterAnswer.notFound(RegistryError.NO_ROUTE,
                    "no registry API endpoint has this path (…/manifests/<reference>, …/blobs/<digest>, …/blobs/uploads/, …/tags/list, /v2/_catalog)");
        }
        String name = String.join("/", segments.subList(1, Math.max(1, nameEnd)));
        if (!ROUTED_NAME.matcher(name).matches()) {
            return RouterAnswer.notFound(RegistryError.NAME_UNKNOWN,
                    "repository name not known: a name is lower-case components ([a-z0-9] with '.', '_', '__' or '-' between) separated by '/'");
        }
        return part == null ? RouterAnswer.notFound(RegistryError.NO_ROUTE, "no registry API endpoint has this path") : part;
    }
}
