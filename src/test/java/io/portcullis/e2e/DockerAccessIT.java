package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Digests;
import io.portcullis.testing.DockerdFixture;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The docker CLI against access rules: a read-only user can {@code docker login} and pull, and {@code docker push}
 * shows "denied"; a team user pushes inside its namespace only. (HTTP-method filters in nginx broke exactly this.)
 */
@NeedsTools(value = {"docker-registry", "dockerd", "docker", "htpasswd", "tar"}, root = true)
class DockerAccessIT {
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.BOB + " pull,push team-b/**",
            "allow " + Users.CAROL + " pull **",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("docker-access", RULES);

    @RegisterExtension
    static final DockerdFixture dockerd = new DockerdFixture();


    private static Cmd docker(String... args) {
        return dockerd.docker(args);
    }

    private static void login(String registry, String user, String password) {
        Cmd.Result login = docker("login", registry, "-u", user, "--password-stdin").stdin(password + "\n").run();
        assertEquals(0, login.exitCode(), () -> login.describe() + "\n" + stack.logs());
    }

    @Test
    void readOnlyUserLogsInAndPullsButPushIsDenied() throws IOException {
        Path rootfs = Files.createDirectories(stack.dir().resolve("rootfs"));
        Files.write(rootfs.resolve("payload.bin"), Digests.randomBytes(512 * 1024, 5));
        Path tarball = stack.dir().resolve("rootfs.tar");
        Cmd.of("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), ".").ok();
        docker("import", tarball.toString(), "e2e/access:1").ok();
        String registry = stack.gate().hostPort();

        login(registry, Users.ALICE, Users.ALICE_PW);
        docker("tag", "e2e/access:1", registry + "/team-a/app:1").ok();
        docker("push", registry + "/team-a/app:1").ok();
        docker("logout", registry).ok();

        login(registry, Users.CAROL, Users.CAROL_PW);
        docker("rmi", registry + "/team-a/app:1").ok();
        Cmd.Result pull = docker("pull", registry + "/team-a/app:1").run();
        assertEquals(0, pull.exitCode(), () -> pull.describe() + "\n" + stack.logs());
        docker("tag", "e2e/access:1", registry + "/team-a/carols:1").ok();
        Cmd.Result push = docker("push", registry + "/team-a/carols:1").run().assertFails();
        assertTrue(push.output().contains("denied"), () -> push.describe() + "\n" + stack.logs());
        docker("logout", registry).ok();

        login(registry, Users.BOB, Users.BOB_PW);
        docker("tag", "e2e/access:1", registry + "/team-b/app:1").ok();
        Cmd.Result own = docker("push", registry + "/team-b/app:1").run();
        assertEquals(0, own.exitCode(), () -> own.describe() + "\n" + stack.logs());
        docker("tag", "e2e/access:1", registry + "/team-a/bobs:1").ok();
        Cmd.Result foreign = docker("push", registry + "/team-a/bobs:1").run().assertFails();
        assertTrue(foreign.output().contains("denied"), () -> foreign.describe() + "\n" + stack.logs());
    }
}
