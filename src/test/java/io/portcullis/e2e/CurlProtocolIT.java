package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry HTTP API through the gate with curl, checking what clients depend on: the 401 challenge,
 * Location URLs that clients cannot steer, the API-version header exactly once, chunked uploads, ranges,
 * HEAD lengths and cross-repository mounts. curl trusts only the CA from gen-cert.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class CurlProtocolIT {
    @RegisterExtension
    static final Stack stack = Stack.fixture("curl");
    private static Curl curl;
    private static String base;
    private static String aliceCreds;

    @BeforeAll
    static void up() {
        curl = stack.curl();
        base = stack.gate().url();
        aliceCreds = Users.ALICE + ":" + Users.ALICE_PW;
    }

    private static String[] auth(String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "-u";
        args[1] = aliceCreds;
        System.arraycopy(more, 0, args, 2, more.length);
        return args;
    }

    @Test
    void healthCheckWithCredentialsIs200EmptyJson() {
        Curl.Response r = curl.exchange("GET", base + "/v2/", auth());
        assertEquals(200, r.status(), () -> r + "\n" + stack.logs());
        assertEquals("{}", r.bodyText().trim());
    }

    @Test
    void everyUserCanLogInIncludingBcryptCost10() {
        for (String creds : new String[] {Users.BOB + ":" + Users.BOB_PW, Users.CAROL + ":" + Users.CAROL_PW}) {
            Curl.Response r = curl.exchange("GET", base + "/v2/", "-u", creds);
            assertEquals(200, r.status(), () -> creds + "\n" + r);
        }
    }

    @Test
    void withoutCredentialsA401ChallengeWithTheRegistryErrorEnvelope() {
        Curl.Response r = curl.exchange("GET", base + "/v2/");
        assertEquals(401, r.status(), r::toString);
        assertEquals("Basic realm=\"" + Stack.REALM + "\"", r.header("WWW-Authenticate"));
        assertTrue(r.header("Content-Type").startsWith("application/json"), r::toString);
        assertEquals(List.of("UNAUTHORIZED"), Json.errorCodes(r.bodyText()), r::toString);
    }

    @Test
    void wrongPasswordAndUnknownUserAre401() {
        Curl.Response wrong = curl.exchange("GET", base + "/v2/", "-u", Users.ALICE + ":not-her-password");
        assertEquals(401, wrong.status(), wrong::toString);
        Curl.Response unknown = curl.exchange("GET", base + "/v2/team/app/tags/list", "-u", "mallory:" + Users.ALICE_PW);
        assertEquals(401, unknown.status(), unknown::toString);
        assertTrue(unknown.headers("WWW-Authenticate").get(0).startsWith("Basic realm="), unknown::toString);
    }

    @Test
    void apiVersionHeaderExactlyOnceOnProxiedAndOnOwnResponses() {
        Curl.Response proxied = curl.exchange("GET", base + "/v2/", auth());
        assertEquals(200, proxied.status(), proxied::toString);
        assertEquals(1, proxied.headers("Docker-Distribution-Api-Version").size(), proxied::toString);
        assertEquals("registry/2.0", proxied.header("Docker-Distribution-Api-Version"));

        Curl.Response challenge = curl.exchange("GET", base + "/v2/");
        assertEquals(401, challenge.status(), challenge::toString);
        assertEquals(1, challenge.headers("Docker-Distribution-Api-Version").size(), challenge::toString);
        assertEquals("registry/2.0", challenge.header("Docker-Distribution-Api-Version"));

        Curl.Response notFound = curl.exchange("GET", base + "/v2/team/app/manifests/nope", auth());
        assertEquals(404, notFound.status(), notFound::toString);
        assertEquals(1, notFound.headers("Docker-Distribution-Api-Version").size(), notFound::toString);
    }

    @Test
    void uploadLocationIsTheGatesHttpsUrlEvenWithSpoofedForwardingHeaders() {
        Curl.Response r = curl.exchange("POST", base + "/v2/team/app/blobs/uploads/", auth(
                "-H", "X-Forwarded-Host: evil.example",
                "-H", "X-Forwarded-Proto: http",
                "-H", "X-Forwarded-Port: 80",
                "-H", "Forwarded: host=evil.example;proto=http",
                "-H", "Content-Length: 0"));
        assertEquals(202, r.status(), r::toString);
        String location = r.header("Location");
        assertTrue(location.startsWith(base + "/v2/team/app/blobs/uploads/"),
                () -> "Location must point at the gate (" + base + "), got " + location);
        assertTrue(!location.contains("evil.example"), location);
    }

    @Test
    void chunkedPatchUploadThenPutDigestThenGetRangeHeadAndMount() throws IOException {
        byte[] blob = Digests.randomBytes(3 * 1024 * 1024 + 17, 7);
        String digest = Digests.of(blob);
        Path file = Files.write(stack.dir().resolve("chunked.bin"), blob);

        Curl.Response start = curl.exchange("POST", base + "/v2/team/app/blobs/uploads/", auth("-H", "Content-Length: 0"));
        assertEquals(202, start.status(), start::toString);
        Curl.Response patch = curl.exchange("PATCH", start.header("Location"), auth(
                "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + file));
        assertEquals(202, patch.status(), () -> patch + "\n" + stack.logs());
        assertEquals("0-" + (blob.length - 1), patch.header("Range"), patch::toString);
        String location = patch.header("Location");
        Curl.Response put = curl.exchange("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest,
                auth("-H", "Content-Length: 0"));
        assertEquals(201, put.status(), put::toString);
        assertEquals(digest, put.header("Docker-Content-Digest"));

        Curl.Response get = curl.exchange("GET", base + "/v2/team/app/blobs/" + digest, auth());
        assertEquals(200, get.status(), get::toString);
        assertArrayEquals(blob, get.body(), "blob read back through the gate differs from what was pushed");

        Curl.Response range = curl.exchange("GET", base + "/v2/team/app/blobs/" + digest, auth("-H", "Range: bytes=0-99"));
        assertEquals(206, range.status(), range::toString);
        assertEquals(100, range.body().length);
        assertArrayEquals(java.util.Arrays.copyOf(blob, 100), range.body());
        assertEquals("bytes 0-99/" + blob.length, range.header("Content-Range"));

        Curl.Response head = curl.exchange("HEAD", base + "/v2/team/app/blobs/" + digest, auth());
        assertEquals(200, head.status(), head::toString);
        assertEquals(String.valueOf(blob.length), head.header("Content-Length"), head::toString);
        assertEquals(digest, head.header("Docker-Content-Digest"));

        Curl.Response mount = curl.exchange("POST",
                base + "/v2/other/blobs/uploads/?mount=" + digest + "&from=team/app", auth("-H", "Content-Length: 0"));
        assertEquals(201, mount.status(), mount::toString);
        assertEquals(base + "/v2/other/blobs/" + digest, mount.header("Location"));
        Curl.Response mounted = curl.exchange("HEAD", base + "/v2/other/blobs/" + digest, auth());
        assertEquals(200, mounted.status(), mounted::toString);
    }

    @Test
    void gateLogNeverShowsThePassword() {
        Curl.Response r = curl.exchange("GET", base + "/v2/_catalog", auth());
        assertEquals(200, r.status(), r::toString);
        Curl.Response wrong = curl.exchange("GET", base + "/v2/_catalog", "-u", Users.BOB + ":wrong-" + Users.BOB_PW);
        assertEquals(401, wrong.status(), wrong::toString);
        String log = stack.gate().log();
        assertTrue(!log.isBlank(), "the gate logged nothing");
        assertTrue(!log.contains(Users.ALICE_PW) && !log.contains("wrong-" + Users.BOB_PW), () -> "the gate log shows a password:\n" + log);
    }
}
