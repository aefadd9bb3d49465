package io.portcullis.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestedAccessTest {
    private static List<Access> of(String method, String path, String query) {
        return RequestParser.parse(method, path, query, List.of()).accesses();
    }

    @Test
    void mapsRoutesToTheRegistrysAccessRecords() {
        assertEquals(List.of(), of("GET", "/v2/", ""));
        assertEquals(List.of(Access.repository("team/app", "pull")), of("GET", "/v2/team/app/manifests/latest", ""));
        assertEquals(List.of(Access.repository("team/app", "pull")), of("HEAD", "/v2/team/app/blobs/sha256:ab", ""));
        assertEquals(List.of(Access.repository("a/blobs/b", "pull")), of("GET", "/v2/a/blobs/b/tags/list", ""));
        assertEquals(List.of(Access.repository("x", "pull"), Access.repository("x", "push")),
                of("PATCH", "/v2/x/blobs/uploads/uuid-1", "_state=abc"));
        assertEquals(List.of(Access.repository("x", "delete")), of("DELETE", "/v2/x/manifests/sha256:00", ""));
        assertEquals(List.of(new Access("registry", "catalog", "*")), of("GET", "/v2/_catalog", "n=10"));
        assertEquals(List.of(Access.repository("team/app", "pull")), of("GET", "/v2/team/app/referrers/sha256:ab", "artifactType=x"));
    }

    @Test
    void aCrossRepositoryMountAlsoAsksToPullTheSource() {
        assertEquals(List.of(Access.repository("dst", "pull"), Access.repository("dst", "push"), Access.repository("src/img", "pull")),
                of("POST", "/v2/dst/blobs/uploads/", "mount=sha256:aa&from=src%2Fimg"));
    }

    @Test
    void errorBodyMatchesTheRegistrysJson() {
        assertEquals("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\",\"detail\":"
                        + "[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"a\\\"b\",\"Action\":\"push\"}]}]}",
                RegistryError.DENIED.body(List.of(Access.repository("a\"b", "push"))));
        assertEquals("UNAVAILABLE", RegistryError.forStatus(504).code());
        assertEquals(RegistryError.UNKNOWN, RegistryError.forStatus(418));
        assertEquals(RegistryError.UNSUPPORTED, RegistryError.forStatus(400));
    }
}
