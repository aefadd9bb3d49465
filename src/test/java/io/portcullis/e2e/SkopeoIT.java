package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * skopeo through the gate, verifying the gate's certificate against the CA from gen-cert (never
 * --tls-verify=false): login, push of a hand-built three-layer OCI image, inspect, pull back and compare
 * every blob byte for byte, delete.
 */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SkopeoIT {
    @RegisterExtension
    static final Stack stack = Stack.fixture("skopeo");
    private static Path authFile;
    private static OciLayout.Image image;

    @BeforeAll
    static void up() {
        Tools.require("skopeo", "skopeo");
        authFile = stack.dir().resolve("auth.json");
        image = OciLayout.build(stack.dir().resolve("image"), "v1");
    }

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", authFile.toString()).timeout(Duration.ofSeconds(180));
    }

    private static String ref() {
        return "docker://" + stack.gate().hostPort() + "/team/app:1";
    }

    private static String creds() {
        return Users.ALICE + ":" + Users.ALICE_PW;
    }

    @Test
    @Order(1)
    void loginWithTheRightPasswordSucceeds() {
        Cmd.Result r = skopeo("login", "--authfile", authFile.toString(), "--cert-dir", stack.pki().caDir().toString(),
                "-u", Users.ALICE, "--password-stdin", stack.gate().hostPort())
                .stdin(Users.ALICE_PW + "\n").run();
        assertEquals(0, r.exitCode(), () -> r.describe() + "\n" + stack.logs());
        assertTrue(r.output().contains("Login Succeeded"), r::describe);
    }

    @Test
    @Order(2)
    void loginWithAWrongPasswordIsRefused() {
        Cmd.Result r = skopeo("login", "--authfile", stack.dir().resolve("other-auth.json").toString(),
                "--cert-dir", stack.pki().caDir().toString(),
                "-u", Users.ALICE, "--password-stdin", stack.gate().hostPort())
                .stdin("not-alice-password\n").run().assertFails();
        // skopeo 1.9 turns the 401 into "invalid username/password"; newer versions say "unauthorized"
        String out = r.output().toLowerCase();
        assertTrue(out.contains("invalid username/password") || out.contains("unauthorized"), r::describe);
    }

    @Test
    @Order(3)
    void pushInspectPullBackAndDelete() {
        String certDir = stack.pki().caDir().toString();
        skopeo("copy", "--dest-creds", creds(), "--dest-cert-dir", certDir,
                "oci:" + image.layout() + ":v1", ref()).ok();

        Cmd.Result inspect = skopeo("inspect", "--creds", creds(), "--cert-dir", certDir, ref()).ok();
        JsonNode inspected = Json.read(inspect.stdout());
        assertEquals(image.manifestDigest(), inspected.path("Digest").asText(), inspect::describe);
        List<String> layers = Json.texts(inspected.path("Layers"));
        for (String layer : image.layerDigests()) {
            assertTrue(layers.contains(layer), () -> "layer " + layer + " missing:\n" + inspect.describe());
        }
        Path back = stack.dir().resolve("pulled");
        skopeo("copy", "--src-creds", creds(), "--src-cert-dir", certDir, ref(), "oci:" + back + ":v1").ok();
        Map<String, byte[]> sent = OciLayout.blobs(image.layout());
        Map<String, byte[]> received = OciLayout.blobs(back);
        assertEquals(sent.keySet(), received.keySet(), "blob set pulled back differs from the one pushed");
        assertEquals(5, sent.size(), "3 layers + config + manifest");
        sent.forEach((name, bytes) -> assertArrayEquals(bytes, received.get(name), "blob " + name + " differs"));

        skopeo("delete", "--creds", creds(), "--cert-dir", certDir, ref()).ok();
        Cmd.Result gone = skopeo("inspect", "--creds", creds(), "--cert-dir", certDir, ref()).run().assertFails();
        assertTrue(gone.output().toLowerCase().contains("manifest unknown"), gone::describe);
    }

    @Test
    @Order(4)
    void anUntrustedCertificateIsRejected() {
        // without the CA, skopeo must refuse the gate's certificate: proves --cert-dir is what makes it trusted
        Path empty = stack.dir().resolve("no-ca");
        try {
            java.nio.file.Files.createDirectories(empty);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Cmd.Result r = skopeo("inspect", "--creds", creds(), "--cert-dir", empty.toString(), ref()).run().assertFails();
        assertTrue(r.output().contains("x509") || r.output().contains("certificate"), r::describe);
    }
}
