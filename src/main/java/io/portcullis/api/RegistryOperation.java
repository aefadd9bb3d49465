package io.portcullis.api;

import java.util.Map;
import java.util.Optional;
import java.util.List;

/**
 * One registry operation, exactly as the registry will act on it: route, repository, reference or upload id, and
 * the parameters it reads, decoded the way Go's {@code r.FormValue} decodes them. {@link #path()} and
 * {@link #query()} are what is forwarded: the decoded (canonical) path and the raw query, which was checked to say
 * nothing but what {@link #parameters()} says, so signed {@code _state} tokens pass byte for byte.
 *
 * @param name      the repository, or null on {@link Route#BASE} and {@link Route#CATALOG}
 * @param reference tag or digest (manifests), digest (blobs, referrers), upload id (uploads), else null
 * @param accesses  what the registry's own auth would check ({@code appendAccessRecords})
 */
public record RegistryOperation(String method, Route route, String name, String reference,
                                Map<String, String> parameters, String path, String query, List<Access> accesses)
        implements ParsedRequest {

    public Optional<String> parameter(String parameterName) {
        return Optional.ofNullable(parameters.get(parameterName));
    }
}
