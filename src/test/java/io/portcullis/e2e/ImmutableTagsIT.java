package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Digests;
import io.portcullis.testing.DockerdFixture;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code immutable team/** tags v* except latest} with the real clients: skopeo and docker may push a release tag
 * once (and the same manifest again), never move it or delete what it points to, and print the gate's reason;
 * {@code latest} moves freely. docker also shows the maintenance message.
 */
@NeedsTools(value = {"docker-registry", "skopeo", "dockerd", "docker", "tar", "gzip"}, root = true)
class ImmutableTagsIT {
    static final String RULE = "immutable team/** tags v* except latest";
    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("immutable", "allow * pull,push,delete **\n" + RULE + "\n");

    @RegisterExtension
    static final DockerdFixture dockerd = new DockerdFixture();

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }

    private static String creds() {
        return Users.ALICE + ":" + Users.ALICE_PW;
    }

    private static Cmd.Result push(OciLayout.Image image, String reference) {
        return skopeo("copy", "--dest-creds", creds(), "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":" + image.tag(), "docker://" + stack.gate().hostPort() + "/" + reference).run();
    }

    private static String digestOf(String reference) {
        Cmd.Result r = skopeo("inspect", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(), "--format", "{{.Digest}}",
                "docker://" + stack.gate().hostPort() + "/" + reference).ok();
        return r.stdout().strip();
    }

    @Test
    void skopeoCanPushAReleaseTagOnceButNeitherMoveNorDeleteIt() {
        OciLayout.Image first = OciLayout.build(stack.dir().resolve("first"), "1", 100);
        OciLayout.Image second = OciLayout.build(stack.dir().resolve("second"), "1", 200);
        assertEquals(0, push(first, "team/app:v1").exitCode(), stack::logs);
        assertEquals(0, push(first, "team/app:v1").exitCode(), "the same manifest again is fine");

        Cmd.Result moved = push(second, "team/app:v1");
        assertFalse(moved.exitCode() == 0, moved::describe);
        assertTrue(moved.output().contains("tag v1 of team/app is immutable") && moved.output().contains(RULE), moved::describe);
        assertEquals(first.manifestDigest(), digestOf("team/app:v1"));

        assertEquals(0, push(second, "team/app:latest").exitCode(), "latest is excepted");
        assertEquals(0, push(first, "team/app:latest").exitCode(), "and moves freely");

        Cmd.Result deleted = skopeo("delete", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(),
                "docker://" + stack.gate().hostPort() + "/team/app:v1").run();
        assertFalse(deleted.exitCode() == 0, deleted::describe);
        assertTrue(deleted.output().contains("immutable tag v1 of team/app"), deleted::describe);
        assertEquals(first.manifestDigest(), digestOf("team/app:v1"), "still there");

        assertEquals(0, push(second, "team/app:rc").exitCode());
        skopeo("delete", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(),
                "docker://" + stack.gate().hostPort() + "/team/app:rc").ok();
    }

    private static void dockerImage(String name, long seed) throws IOException {
        Path rootfs = Files.createDirectories(stack.dir().resolve("rootfs-" + seed).resolve("etc"));
        Files.write(rootfs.resolve("payload.bin"), Digests.randomBytes(256 * 1024, seed));
        Path tarball = stack.dir().resolve("rootfs-" + seed + ".tar");
        Cmd.of("tar", "-C", stack.dir().resolve("rootfs-" + seed).toString(), "-cf", tarball.toString(), ".").ok();
        dockerd.docker("import", tarball.toString(), name).ok();
    }

    @Test
    void dockerPrintsWhyAReleaseTagCannotMoveAndWhyWritesWaitDuringMaintenance() throws IOException {
        String registry = stack.gate().hostPort();
        dockerd.docker("login", registry, "-u", Users.ALICE, "--password-stdin").stdin(Users.ALICE_PW + "\n").ok();
        String remote = registry + "/team/docker:v2";
        dockerImage(remote, 1);
        Cmd.Result first = dockerd.docker("push", remote).run();
        assertEquals(0, first.exitCode(), () -> first.describe() + "\n" + stack.logs());

        dockerImage(remote, 2);
        Cmd.Result moved = dockerd.docker("push", remote).run();
        assertFalse(moved.exitCode() == 0, moved::describe);
        assertTrue(moved.output().contains("denied: tag v2 of team/docker is immutable"), moved::describe);

        List<String> on = new ArrayList<>(List.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(),
                "maintenance", "on", "--wait", "--state-dir", stack.dir().resolve("state").toString()));
        Cmd.of(on).timeout(Duration.ofSeconds(120)).ok();
        try {
            dockerImage(registry + "/team/docker:during-gc", 3);
            Cmd.Result refused = dockerd.docker("push", registry + "/team/docker:during-gc").run();
            assertFalse(refused.exitCode() == 0, refused::describe);
            assertTrue(refused.output().contains("the registry is in maintenance (garbage collection), try again later"), refused::describe);
        } finally {
            on.set(on.indexOf("on"), "off");
            on.remove("--wait");
            Cmd.of(on).timeout(Duration.ofSeconds(60)).ok();
        }
    }
}
