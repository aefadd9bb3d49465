package io.portcullis.api;

import java.util.regex.Pattern;

/**
 * The registry API's endpoints (OCI distribution spec end-1 to end-13, {@code _catalog}, and the OCI 1.1
 * referrers API, which docker-registry 2.8 answers with 404), in the order 2.8's router tries them. Each pattern
 * matches the decoded path; names are greedy, as in Go's leftmost-first regexp matching, so a path that could be
 * split two ways is split the registry's way.
 */
public enum Route {
    BASE("/v2/?"),
    MANIFEST("/v2/(" + Grammar.NAME + ")/manifests/(" + Grammar.TAG + "|" + Grammar.DIGEST + ")"),
    TAGS("/v2/(" + Grammar.NAME + ")/tags/list"),
    BLOB("/v2/(" + Grammar.NAME + ")/blobs/(" + Grammar.DIGEST + ")"),
    UPLOAD_START("/v2/(" + Grammar.NAME + ")/blobs/uploads/"),
    UPLOAD("/v2/(" + Grammar.NAME + ")/blobs/uploads/(" + Grammar.UPLOAD_ID + ")"),
    CATALOG("/v2/_catalog"),
    REFERRERS("/v2/(" + Grammar.NAME + ")/referrers/(" + Grammar.DIGEST + ")");

    final Pattern pattern;

    Route(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** Whether requests on this route concern one repository (named in the path). */
    public boolean hasRepository() {
        return this != BASE && this != CATALOG;
    }
}
