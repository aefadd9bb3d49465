package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.RegistryProcess;
import io.portcullis.testing.TempDirs;
import io.portcullis.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Baseline without the gate: the fixtures (registry process, OCI layout, skopeo, curl) against the registry
 * directly over plain http. When a gate test fails and this one passes, the gate is the suspect.
 */
@NeedsTools({"docker-registry", "curl"})
class RegistryDirectIT {
    private static Path dir;
    private static RegistryProcess registry;

    @BeforeAll
    static void up() {
        dir = TempDirs.create("direct");
        registry = RegistryProcess.start(dir.resolve("registry"));
    }

    @AfterAll
    static void down() {
        if (registry != null) {
            registry.close();
        }
        TempDirs.deleteQuietly(dir);
    }

    @Test
    void registryAnswersV2AndComesBackOnTheSamePort() {
        Curl.Response r = Curl.plain().exchange("GET", registry.url() + "/v2/");
        assertEquals(200, r.status(), r::toString);
        assertEquals("{}", r.bodyText().trim());
        assertEquals("registry/2.0", r.header("Docker-Distribution-Api-Version"));

        int port = registry.port();
        registry.stop();
        Cmd.Result refused = Cmd.of("curl", "-sS", "--max-time", "5", registry.url() + "/v2/").run();
        assertTrue(refused.exitCode() != 0, refused::describe);
        registry.start();
        assertEquals(port, registry.port());
        assertEquals(200, Curl.plain().exchange("GET", registry.url() + "/v2/").status());
    }

    @Test
    void skopeoRoundTripOfAHandMadeOciLayout() {
        Tools.require("skopeo", "skopeo");
        OciLayout.Image image = OciLayout.build(dir.resolve("image"), "v1");
        String ref = "docker://127.0.0.1:" + registry.port() + "/direct/app:1";
        Path back = dir.resolve("back");
        Cmd.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + image.layout() + ":v1", ref)
                .timeout(Duration.ofSeconds(120)).ok();
        Cmd.of("skopeo", "copy", "--src-tls-verify=false", ref, "oci:" + back + ":v1")
                .timeout(Duration.ofSeconds(120)).ok();
        Map<String, byte[]> sent = OciLayout.blobs(image.layout());
        Map<String, byte[]> received = OciLayout.blobs(back);
        assertEquals(sent.keySet(), received.keySet());
        sent.forEach((name, bytes) -> assertArrayEquals(bytes, received.get(name), name));
        assertEquals(5, sent.size(), "3 layers + config + manifest");
    }
}
