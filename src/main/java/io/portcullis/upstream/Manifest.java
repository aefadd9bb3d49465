package io.portcullis.upstream;

import java.util.Set;

/** One manifest as the registry served it: its digest, media type, size in bytes and parsed JSON. */
public record Manifest(String digest, String mediaType, long size, Object json) {
    private static final Set<String> INDEX_TYPES = Set.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    /** An OCI index or Docker manifest list: one image per platform. */
    public boolean isIndex() {
        return INDEX_TYPES.contains(mediaType) || INDEX_TYPES.contains(JsonMembers.string(json, "mediaType"))
                || (!JsonMembers.array(json, "manifests").isEmpty() && JsonMembers.array(json, "layers").isEmpty());
    }
}
