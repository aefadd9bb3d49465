package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Smuggling attacks against the real gate and the real registry: requests whose bytes the gate could read one
 * way and the registry (Go's router on the decoded path, {@code r.FormValue} for parameters) another. bob may
 * push only to {@code team-b/*}, carol may only pull {@code team-c/app}; {@code secret/app} holds a blob nobody of
 * them may read. Every test asserts the refusal and then asks the registry directly that it holds nothing new.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class SmuggledRequestsIT {
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.BOB + " pull,push team-b/*",
            "allow " + Users.CAROL + " pull team-c/app",
            "");
    private static final String BOB = Users.BOB + ":" + Users.BOB_PW;
    private static final String CAROL = Users.CAROL + ":" + Users.CAROL_PW;

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("smuggle", RULES);
    private static Curl curl;
    private static String gate;
    private static RegistryBlobs registry;
    private static RegistryBlobs.Blob secret;
    private static long seed = 100;

    @BeforeAll
    static void up() {
        curl = stack.curl();
        gate = stack.gate().url();
        registry = new RegistryBlobs(stack.registry().url(), stack.dir());
        secret = registry.newBlob(1);
        registry.put("secret/app", secret);
    }

    private static void assertRefused(Curl.Response r, String code) {
        assertEquals(400, r.status(), () -> r + "\n" + stack.logs());
        assertEquals(List.of(code), Json.errorCodes(r.bodyText()), r::toString);
    }

    /** A cross-repository mount of the secret blob into {@code target}, asked for by bob in {@code curlArgs}. */
    private static void assertMountRefused(String target, String query, String... curlArgs) {
        String catalog = registry.catalog();
        String[] args = new String[curlArgs.length + 2];
        args[0] = "-u";
        args[1] = BOB;
        System.arraycopy(curlArgs, 0, args, 2, curlArgs.length);
        Curl.Response r = curl.exchange("POST", gate + "/v2/" + target + "/blobs/uploads/" + query, args);
        assertRefused(r, "UNSUPPORTED");
        assertFalse(registry.holds(target, secret.digest()), "the secret blob was mounted into " + target);
        assertEquals(catalog, registry.catalog());
    }

    @Test
    void mountWithAPercentEncodedParameterNameIsRefused() {
        assertMountRefused("team-b/m1", "?%6Dount=" + secret.digest() + "&from=secret%2Fapp");
    }

    @Test
    void mountWithAPercentEncodedFromIsRefused() {
        assertMountRefused("team-b/m2", "?mount=" + secret.digest() + "&%66rom=secret%2Fapp");
    }

    @Test
    void mountWithRepeatedParametersIsRefused() {
        assertMountRefused("team-b/m3", "?mount=" + secret.digest() + "&from=&from=secret%2Fapp");
    }

    @Test
    void mountParametersInAFormBodyAreRefused() {
        assertMountRefused("team-b/m4", "", "-H", "Content-Type: application/x-www-form-urlencoded",
                "--data-binary", "mount=" + secret.digest() + "&from=secret%2Fapp");
    }

    @Test
    void mountParametersInAMultipartBodyAreRefused() {
        assertMountRefused("team-b/m5", "", "-F", "mount=" + secret.digest(), "-F", "from=secret/app");
    }

    /**
     * Starts an upload at {@code start} as bob; should the gate let it through, finishes it the way an attacker
     * would, through the gate again, with the Location's path re-encoded by replacing {@code plain} with
     * {@code encoded}. Then asserts the refusal and that {@code landing} holds no new blob.
     */
    private static void assertUploadRefused(String start, String code, String landing, String plain, String encoded) {
        String catalog = registry.catalog();
        RegistryBlobs.Blob blob = registry.newBlob(seed++);
        Curl.Response r = curl.exchange("POST", gate + start, "-u", BOB);
        if (r.status() == 202) {
            String location = r.header("Location").replace(plain, encoded);
            curl.exchange("PUT", location + "&digest=" + blob.digest(), "-u", BOB,
                    "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + blob.file());
        }
        assertRefused(r, code);
        assertFalse(registry.holds(landing, blob.digest()), "a blob was pushed into " + landing);
        assertEquals(catalog, registry.catalog());
    }

    @Test
    void anEncodedSlashInTheNameCannotPushOutsideTheNamespace() {
        assertUploadRefused("/v2/team-b/app%2Fsub/blobs/uploads/", "NAME_INVALID", "team-b/app/sub",
                "/v2/team-b/app/sub/", "/v2/team-b/app%2Fsub/");
    }

    @Test
    void anEncodedSlashInAManifestReferenceCannotPushOutsideTheNamespace() {
        assertUploadRefused("/v2/team-b/app/manifests/x%2Fblobs%2Fuploads%2F", "TAG_INVALID", "team-b/app/manifests/x",
                "/manifests/x/blobs/uploads/", "/manifests/x%2Fblobs%2Fuploads%2F");
    }

    @Test
    void anEncodedSlashInAnUploadIdCannotPushOutsideTheNamespace() {
        assertUploadRefused("/v2/team-b/app/blobs/uploads/a%2Fblobs%2Fuploads%2F", "UNSUPPORTED", "team-b/app/blobs/uploads/a",
                "/blobs/uploads/a/blobs/uploads/", "/blobs/uploads/a%2Fblobs%2Fuploads%2F");
    }

    /** Puts a blob into {@code hidden} (outside carol's exact grant) and has carol ask for it through {@code path}. */
    private static void assertReadRefused(String hidden, String pathBeforeDigest, String code) {
        RegistryBlobs.Blob blob = registry.newBlob(seed++);
        registry.put(hidden, blob);
        Curl.Response r = curl.exchange("GET", gate + pathBeforeDigest + blob.digest(), "-u", CAROL);
        assertFalse(Arrays.equals(blob.bytes(), r.body()), "carol read a blob of " + hidden);
        assertRefused(r, code);
    }

    @Test
    void anEncodedSlashInAManifestReferenceCannotReadAnotherRepository() {
        assertReadRefused("team-c/app/manifests/x", "/v2/team-c/app/manifests/x%2Fblobs%2F", "TAG_INVALID");
    }

    @Test
    void anEncodedSlashInABlobDigestCannotReadAnotherRepository() {
        assertReadRefused("team-c/app/blobs/a", "/v2/team-c/app/blobs/a%2Fblobs%2F", "DIGEST_INVALID");
    }

    @Test
    void anEncodedSlashInAnUploadIdCannotReadAnotherRepository() {
        assertReadRefused("team-c/app/blobs/uploads/a", "/v2/team-c/app/blobs/uploads/a%2Fblobs%2F", "UNSUPPORTED");
    }

    @Test
    void withoutCredentialsTheChallengeComesFirst() {
        Curl.Response r = curl.exchange("POST", gate + "/v2/team-b/app/blobs/uploads/?%6Dount=" + secret.digest() + "&from=secret%2Fapp");
        assertEquals(401, r.status(), r::toString);
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic realm="), r::toString);
    }

    @Test
    void canonicalRequestsStillPass() {
        RegistryBlobs.Blob own = registry.newBlob(seed++);
        registry.put("team-b/source", own);
        Curl.Response mount = curl.exchange("POST", gate + "/v2/team-b/target/blobs/uploads/?mount=" + own.digest()
                + "&from=team-b%2Fsource", "-u", BOB);
        assertEquals(201, mount.status(), () -> mount + "\n" + stack.logs());
        assertTrue(registry.holds("team-b/target", own.digest()));

        RegistryBlobs.Blob readable = registry.newBlob(seed++);
        registry.put("team-c/app", readable);
        Curl.Response read = curl.exchange("GET", gate + "/v2/team-c/app/blobs/" + readable.digest(), "-u", CAROL);
        assertEquals(200, read.status(), read::toString);
        assertEquals(readable.bytes().length, read.body().length);
    }
}
