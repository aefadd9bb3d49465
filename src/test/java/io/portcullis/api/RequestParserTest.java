package io.portcullis.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests the registry could read otherwise than the gate, and the canonical requests next to them, one by one. */
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
        refused(RegistryError.NAME_INVALID, "GET", "/v2/a%2Fb/tags/list", "");
        // decoded, this is a blob in repository team-c/app/blobs/uploads/a: the registry acts on it
        refused(RegistryError.UNSUPPORTED, "GET", "/v2/team-c/app/blobs/uploads/a%2Fblobs%2F" + DIGEST, "");
        // what the registry routes nowhere, whatever is encoded, is its 404 (below), not a refusal
    }

    private static RouterAnswer routerAnswer(int status, String path, String query) {
        ParsedRequest parsed = RequestParser.parse("GET", path, query, List.of());
        RouterAnswer answer = assertInstanceOf(RouterAnswer.class, parsed, path);
        assertEquals(status, answer.status(), answer::toString);
        return answer;
    }

    @Test
    void pathsTheRegistryRoutesNowhereGetItsStatusWithTheCodeOfTheWrongPart() {
        // measured against docker-registry 2.8.2 (docs/router-answers.md)
        assertEquals(RegistryError.MANIFEST_UNKNOWN, routerAnswer(404, "/v2/x/manifests/.INVALID_MANIFEST_NAME", "").error());
        assertEquals(RegistryError.BLOB_UNKNOWN, routerAnswer(404, "/v2/x/blobs/sha256", "").error());
        assertEquals(RegistryError.BLOB_UPLOAD_UNKNOWN, routerAnswer(404, "/v2/team-c/app/blobs/uploads/a%20b", "").error());
        assertEquals(RegistryError.NAME_UNKNOWN, routerAnswer(404, "/v2/a%5Cb/tags/list", "").error());
        assertEquals(RegistryError.NAME_UNKNOWN, routerAnswer(404, "/v2/a;b/tags/list", "").error());
        assertEquals(RegistryError.NAME_UNKNOWN, routerAnswer(404, "/v2/X/tags/list", "").error());
        assertEquals(RegistryError.MANIFEST_UNKNOWN, routerAnswer(404, "/v2/a/manifests/x%3Bv=1", "").error());
        assertEquals(RegistryError.NO_ROUTE, routerAnswer(404, "/v2/something/else", "").error());
        assertEquals(RegistryError.NO_ROUTE, routerAnswer(404, "/debug/vars", "").error());
        // the message names the real problem: nothing here is an encoded '/'
        assertFalse(routerAnswer(404, "/v2/x/manifests/.INVALID_MANIFEST_NAME", "").reason().contains("encoded"));
        assertEquals(400, routerAnswer(400, "/v2/x%zz/tags/list", "").status());
        assertEquals(200, routerAnswer(200, "/", "").status());
    }

    @Test
    void pathsTheRegistryRedirectsGetItsLocation() {
        assertEquals("/v2/b/tags/list?n=1", routerAnswer(301, "/v2/a/%2e%2e/b/tags/list", "n=1").location().orElseThrow());
        assertEquals("/v2/a/b/tags/list", routerAnswer(301, "/v2/a//b/tags/list", "").location().orElseThrow());
        assertEquals("/v2/", routerAnswer(301, "/v2", "").location().orElseThrow());
        assertEquals("/v2/x/blobs/uploads/", routerAnswer(301, "/v2/x/blobs/uploads", "").location().orElseThrow());
        assertEquals("/v2/a/b/tags/list", routerAnswer(301, "/v2/a%2Fb/tags/list/", "").location().orElseThrow());
        // never a Location a browser reads as another host
        assertEquals("/%5Cevil.com/?a=b", routerAnswer(301, "/v2/x/../..%2F..%2F%5Cevil.com/", "a=b").location().orElseThrow());
    }

    @Test
    void longPathsParseQuicklyOrAreRefusedBeforeAnyPatternRuns() {
        // the whole name grammar (host prefix included) runs on every path before auth: no backtracking blow-up
        for (String component : new String[] {"a-", "a.", "a-b", "A0-", "a__", "a/"}) {
            String path = "/v2/" + component.repeat(2_000 / component.length() / 2) + "/manifests/x!";
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> RequestParser.parse("GET", path, "", List.of()), component);
            // 40 KB of it overflowed Java's regex stack: refused by length first
            assertEquals(414, routerAnswer(414, "/v2/" + component.repeat(20_000) + "/tags/list", "").status());
        }
    }

    @Test
    void digestsRouteByGoDigestsGrammarAndTheRegistryJudgesThem() {
        // measured: the registry answers 400 DIGEST_INVALID to the first two itself, and 404 from its router to the rest
        assertEquals(Route.BLOB, accepted("GET", "/v2/x/blobs/sha256:zz", "").route());
        assertEquals(Route.BLOB, accepted("GET", "/v2/x/blobs/a:b=c", "").route());
        assertEquals(RegistryError.BLOB_UNKNOWN, routerAnswer(404, "/v2/x/blobs/SHA256:aa", "").error());
        assertEquals(RegistryError.BLOB_UNKNOWN, routerAnswer(404, "/v2/x/blobs/a+:00", "").error());
    }

    @Test
    void aHostPrefixedNameTheRegistryRoutesIsRefused() {
        refused(RegistryError.NAME_INVALID, "GET", "/v2/Localhost:5000/x/tags/list", "");
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

}
