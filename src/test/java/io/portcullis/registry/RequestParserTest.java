package io.portcullis.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attacks of issue 8 and the canonical requests next to them, one by one. */
class RequestParserTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static RegistryOperation accepted(String method, String path, String query, String... contentTypes) {
        ParsedRequest parsed = RequestParser.parse(method, path, query, List.of(contentTypes));
        return assertInstanceOf(RegistryOperation.class, parsed, () -> method + " " + path + "?" + query);
    }

    private static void refused(RegistryError error, String method, String path, String query, String... contentTypes) {
        ParsedRequest parsed = RequestParser.parse(method, path, query, List.of(contentTypes));
        RefusedRequest refusal = assertInstanceOf(RefusedRequest.class, parsed, () -> method + " " + path + "?" + query);
        assertEquals(error, refusal.error(), refusal::reason);
    }

    @Test
    void everyRouteParsesIntoItsParts() {
        RegistryOperation manifest = accepted("PUT", "/v2/team/app/manifests/v1.0", "");
        assertEquals(Route.MANIFEST, manifest.route());
        assertEquals("team/app", manifest.name());
        assertEquals("v1.0", manifest.reference());
        assertEquals(Route.UPLOAD, accepted("PATCH", "/v2/a/blobs/uploads/5b1c-x=", "_state=abc%3D").route());
        assertEquals(Map.of("_state", "abc="), accepted("PATCH", "/v2/a/blobs/uploads/5b1c-x=", "_state=abc%3D").parameters());
        assertEquals(Route.UPLOAD_START, accepted("POST", "/v2/a/blobs/uploads/", "").route());
        assertEquals(Route.TAGS, accepted("GET", "/v2/a/tags/list", "n=10&last=x").route());
        assertEquals(Route.CATALOG, accepted("GET", "/v2/_catalog", "").route());
        assertEquals(Route.BASE, accepted("GET", "/v2/", "").route());
        assertEquals(Route.REFERRERS, accepted("GET", "/v2/a/referrers/" + DIGEST, "artifactType=x%2Fy").route());
        // names are greedy, as in the registry's router
        assertEquals("a/manifests/b", accepted("GET", "/v2/a/manifests/b/manifests/c", "").name());
    }

    @Test
    void harmlessEscapesAreDecodedAndForwardedDecoded() {
        RegistryOperation blob = accepted("GET", "/v2/te%61m/app/blobs/sha256%3A" + "ab".repeat(32), "");
        assertEquals("/v2/team/app/blobs/" + DIGEST, blob.path());
        assertEquals("team/app", blob.name());
    }

    @Test
    void encodedSlashesInAnySegmentAreRefused() {
        refused(RegistryError.NAME_INVALID, "POST", "/v2/team-b/app%2Fsub/blobs/uploads/", "");
        refused(RegistryError.TAG_INVALID, "POST", "/v2/team-b/app/manifests/x%2Fblobs%2Fuploads%2F", "");
        refused(RegistryError.TAG_INVALID, "GET", "/v2/team-c/app/manifests/x%2fblobs%2f" + DIGEST, "");
        refused(RegistryError.DIGEST_INVALID, "GET", "/v2/team-c/app/blobs/a%2Fblobs%2F" + DIGEST, "");
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/team-c/app/blobs/uploads/a%2Fblobs%2F" + DIGEST, "");
        refused(RegistryError.NAME_INVALID, "GET", "/v2/a%5Cb/tags/list", "");
        refused(RegistryError.NAME_INVALID, "GET", "/v2/a;b/tags/list", "");
        refused(RegistryError.TAG_INVALID, "GET", "/v2/a/manifests/x%3Bv=1", "");
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/a/%2e%2e/b/tags/list", "");
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/a//b/tags/list", "");
    }

    @Test
    void mountParametersAreReadAsTheRegistryReadsThemOrRefused() {
        RegistryOperation mount = accepted("POST", "/v2/team-b/app/blobs/uploads/", "mount=" + DIGEST + "&from=secret%2Fapp");
        assertEquals(List.of(Access.repository("team-b/app", "pull"), Access.repository("team-b/app", "push"),
                Access.repository("secret/app", "pull")), mount.accesses());
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "%6Dount=" + DIGEST + "&from=secret%2Fapp");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "mount=" + DIGEST + "&%66rom=secret%2Fapp");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "mount=" + DIGEST + "&from=&from=secret%2Fapp");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "mount=" + DIGEST + ";from=secret%2Fapp");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "x=%zz&mount=" + DIGEST);
        refused(RegistryError.NAME_INVALID, "POST", "/v2/team-b/app/blobs/uploads/", "mount=" + DIGEST + "&from=Secret");
        refused(RegistryError.DIGEST_INVALID, "POST", "/v2/team-b/app/blobs/uploads/", "mount=x&from=secret");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "", "application/x-www-form-urlencoded");
        refused(RegistryError.UNSUPPORTED, "POST", "/v2/team-b/app/blobs/uploads/", "", " Multipart/Form-Data ; boundary=x");
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/team-b/app/tags/list", "", "multipart/form-data; boundary=x");
        // a parameter the registry does not read may be spelled any way
        assertEquals(Map.of(), accepted("GET", "/v2/a/tags/list", "%6Fther=1&other=2").parameters());
    }

    @Test
    void pathsOutsideTheApiAreRefused() {
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/something/else", "");
        refused(RegistryError.UNSUPPORTED, "GET", "/debug/vars", "");
        refused(RegistryError.NAME_INVALID, "GET", "/v2/Team/app/tags/list", "");
    }
}
