package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.TokenCli;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens end to end: {@code portcullis token …} run as a user runs it, beside a running gate with the same
 * settings; skopeo and curl use the token as the password against the real registry.
 */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip", "curl"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenIT {
    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("tokens", String.join("\n",
            "allow alice pull,push,delete **",
            "allow robot+ci pull,push **",
            "allow robot+ro pull **", ""));
    /** Every token text the tests were given, to grep the store for. */
    private static final List<String> ISSUED = new ArrayList<>();
    private static OciLayout.Image image;

    @BeforeAll
    static void up() {
        image = OciLayout.build(stack.dir().resolve("image"), "v1");
    }

    static Cmd.Result cli(String... args) {
        return TokenCli.run(stack, args);
    }

    static String create(String... args) {
        String token = TokenCli.create(stack, args);
        ISSUED.add(token);
        return token;
    }

    static String id(String token) {
        return token.substring(4, 20);
    }

    private static Curl.Response get(String user, String token, String path) {
        return stack.curl().timeout(Duration.ofSeconds(20)).exchange("GET", stack.gate().url() + path, "-u", user + ":" + token);
    }

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }

    /** Polls until {@code user:token} gets {@code status} on /v2/, for at most {@code within}; returns the last answer. */
    private static Curl.Response awaitStatus(String user, String token, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Curl.Response r;
        do {
            r = get(user, token, "/v2/");
        } while (r.status() != status && System.nanoTime() < deadline);
        return r;
    }

    @Test
    @Order(1)
    void aRobotTokenPushesWithSkopeoAndPullsBack() {
        String token = create("--owner", "robot+ci", "--scope", "pull,push:team/*", "--expires", "1h", "--label", "ci of team");
        String certDir = stack.pki().caDir().toString();
        String ref = "docker://" + stack.gate().hostPort() + "/team/app:1";
        skopeo("copy", "--dest-creds", "robot+ci:" + token, "--dest-cert-dir", certDir, "oci:" + image.layout() + ":v1", ref).ok();
        Cmd.Result inspect = skopeo("inspect", "--creds", "robot+ci:" + token, "--cert-dir", certDir, ref).ok();
        assertTrue(inspect.stdout().contains(image.manifestDigest()), inspect::describe);
        // the same token under another user name is a wrong password
        assertEquals(401, get(Users.ALICE, token, "/v2/").status());
        Cmd.Result list = cli("list", "--owner", "robot+ci", "--json").assertOk();
        assertEquals(List.of("ci of team"), Json.read(list.stdout()).findValuesAsText("label"), list::describe);
        assertFalse(list.stdout().contains(token.substring(21)), "the list shows a secret");
    }

    @Test
    @Order(2)
    void aPullOnlyTokenIsDeniedAPushAndNothingReachesTheRegistry() {
        String token = create("--owner", "robot+ro", "--scope", "pull:**");
        String certDir = stack.pki().caDir().toString();
        Cmd.Result push = skopeo("copy", "--dest-creds", "robot+ro:" + token, "--dest-cert-dir", certDir,
                "oci:" + image.layout() + ":v1", "docker://" + stack.gate().hostPort() + "/team/ro:1").run().assertFails();
        assertTrue(push.output().toLowerCase().contains("denied"), push::describe);
        assertEquals(404, Curl.plain().exchange("GET", stack.registry().url() + "/v2/team/ro/tags/list").status(),
                "the registry has the repository the token was denied");
        assertEquals(200, get("robot+ro", token, "/v2/team/app/tags/list").status());
    }

    @Test
    @Order(3)
    void aRevokedTokenIsRefusedByTheRunningGateWithinASecond() {
        String token = create("--owner", Users.ALICE, "--scope", "pull:**");
        assertEquals(200, get(Users.ALICE, token, "/v2/").status());
        cli("revoke", id(token)).assertOk();
        long revoked = System.nanoTime();
        Curl.Response r = awaitStatus(Users.ALICE, token, 401, Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - revoked) / 1_000_000;
        assertEquals(401, r.status(), stack::logs);
        assertTrue(tookMillis < 1000, () -> "revocation took " + tookMillis + " ms to reach the gate\n" + stack.logs());
        assertTrue(r.bodyText().contains("token " + id(token) + " was revoked at"), r::toString);
    }

    @Test
    @Order(3)
    void aTokenRevokedInTheMiddleOfAMultiLayerPushStopsItWithinASecond() {
        String token = create("--owner", "robot+ci", "--scope", "pull,push:team/*");
        List<String> digests = new ArrayList<>();
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path layer = stack.dir().resolve("mid-layer-" + i);
            digests.add(Digests.writeRandom(layer, 256 * 1024, 700 + i));
            layers.add(layer);
        }
        assertEquals(201, upload(token, layers.get(0), digests.get(0)).status(), stack::logs);
        cli("revoke", id(token)).assertOk();
        long revoked = System.nanoTime();
        // the push goes on with its next layers, as docker would; within a second the gate refuses them
        int status;
        int layer = 1;
        java.util.Set<String> accepted = new java.util.HashSet<>(List.of(digests.get(0)));
        do {
            status = upload(token, layers.get(layer), digests.get(layer)).status();
            if (status == 201) {
                accepted.add(digests.get(layer));
                layer = 1 + (layer % 2); // keep pushing the remaining layers until the revocation lands
            }
        } while (status == 201 && System.nanoTime() - revoked < 5_000_000_000L);
        long tookMillis = (System.nanoTime() - revoked) / 1_000_000;
        assertEquals(401, status);
        assertTrue(tookMillis < 1000, "the push went on for " + tookMillis + " ms after the revocation");
        for (String digest : digests) {
            assertEquals(accepted.contains(digest) ? 200 : 404,
                    Curl.plain().exchange("HEAD", stack.registry().url() + "/v2/team/mid/blobs/" + digest).status(), digest);
        }
    }

    /** One layer as docker sends it: POST opens an upload, PUT with the digest sends the bytes and closes it. */
    private static Curl.Response upload(String token, Path layer, String digest) {
        Curl curl = stack.curl().timeout(Duration.ofSeconds(30));
        Curl.Response start = curl.exchange("POST", stack.gate().url() + "/v2/team/mid/blobs/uploads/", "-u", "robot+ci:" + token);
        if (start.status() != 202) {
            return start;
        }
        String location = start.header("Location");
        String url = (location.startsWith("/") ? stack.gate().url() + location : location)
                + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        return curl.exchange("PUT", url, "-u", "robot+ci:" + token, "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + layer);
    }

    @Test
    @Order(4)
    void anExpiredTokenGetsAMessageNamingItAndWhen() {
        String token = create("--owner", Users.ALICE, "--scope", "pull:**", "--expires", "3s");
        assertEquals(200, get(Users.ALICE, token, "/v2/").status());
        Curl.Response r = awaitStatus(Users.ALICE, token, 401, Duration.ofSeconds(15));
        assertEquals(401, r.status());
        assertTrue(r.bodyText().contains("token " + id(token) + " expired at 20"), r::toString);
    }

    @Test
    @Order(5)
    void rotationWithGraceKeepsTheOldSecretAndWithoutEndsIt() {
        String first = create("--owner", "robot+ci", "--scope", "pull:**");
        Cmd.Result graced = cli("rotate", id(first), "--grace", "1h").assertOk();
        String second = graced.stdout().strip().substring(graced.stdout().strip().lastIndexOf('\n') + 1);
        ISSUED.add(second);
        assertEquals(id(first), id(second));
        assertEquals(200, awaitStatus("robot+ci", second, 200, Duration.ofSeconds(5)).status());
        assertEquals(200, get("robot+ci", first, "/v2/").status());
        Cmd.Result hard = cli("rotate", id(first)).assertOk();
        String third = hard.stdout().strip().substring(hard.stdout().strip().lastIndexOf('\n') + 1);
        ISSUED.add(third);
        assertEquals(200, awaitStatus("robot+ci", third, 200, Duration.ofSeconds(5)).status());
        assertEquals(401, awaitStatus("robot+ci", second, 401, Duration.ofSeconds(5)).status());
        assertEquals(401, get("robot+ci", first, "/v2/").status());
    }

    @Test
    @Order(6)
    void theStoreFileHoldsNoTokenAndOnlyItsOwnerMayReadIt() throws Exception {
        Path store = stack.dir().resolve("state").resolve("tokens");
        String content = Files.readString(store);
        assertFalse(ISSUED.isEmpty());
        for (String token : ISSUED) {
            assertTrue(content.contains(id(token)));
            assertFalse(content.contains(token.substring(21)), "a secret in the store file");
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        Cmd.Result badOwner = cli("create", "--owner", "mallory", "--scope", "pull:**").assertFails();
        assertTrue(badOwner.stderr().contains("--owner mallory is not a user"), badOwner::describe);
    }

    @Test
    @Order(7)
    void theCommandsFindTheStoreFromTheEnvironmentAndTheConfigFileAsServeDoes() throws Exception {
        String id = id(create("--owner", "robot+ci", "--scope", "pull:**", "--label", "found"));
        String state = stack.dir().resolve("state").toString();
        List<String> list = List.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "token", "list");
        Cmd.Result byEnv = Cmd.of(list).env("PORTCULLIS_STATE_DIR", state).dir(stack.dir()).run().assertOk();
        assertTrue(byEnv.stdout().contains(id), byEnv::describe);
        Path conf = Files.writeString(stack.dir().resolve("tokens.conf"), "state-dir = " + state + "\n");
        List<String> withConfig = new ArrayList<>(list);
        withConfig.addAll(List.of("--config", conf.toString()));
        Cmd.Result byFile = Cmd.of(withConfig).dir(stack.dir()).run().assertOk();
        assertTrue(byFile.stdout().contains(id), byFile::describe);
    }
}
