package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.DockerdFixture;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Stack;
import io.portcullis.testing.TokenCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docker through the private dockerd logs in with a robot's token (--password-stdin, as in CI) and pushes. */
@NeedsTools(value = {"docker-registry", "dockerd", "docker", "htpasswd", "tar"}, root = true)
class TokenDockerIT {
    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("token-docker", "allow robot+ci pull,push ci/**\n");

    @RegisterExtension
    static final DockerdFixture dockerd = new DockerdFixture();

    @Test
    void aCiRobotLogsInWithItsTokenAndPushes() throws IOException {
        String token = TokenCli.create(stack, "--owner", "robot+ci", "--scope", "pull,push:ci/*", "--expires", "1h");
        Path rootfs = Files.createDirectories(stack.dir().resolve("rootfs").resolve("etc"));
        Files.writeString(rootfs.resolve("motd"), "pushed by a robot\n");
        Path tarball = stack.dir().resolve("rootfs.tar");
        Cmd.of("tar", "-C", stack.dir().resolve("rootfs").toString(), "-cf", tarball.toString(), ".").ok();
        dockerd.docker("import", tarball.toString(), "e2e/robot:1").ok();
        String registry = stack.gate().hostPort();

        Cmd.Result login = dockerd.docker("login", registry, "-u", "robot+ci", "--password-stdin").stdin(token + "\n").run();
        assertEquals(0, login.exitCode(), () -> login.describe() + "\n" + stack.logs() + "\n--- dockerd ---\n" + dockerd.log());
        assertTrue(login.output().contains("Login Succeeded"), login::describe);
        dockerd.docker("tag", "e2e/robot:1", registry + "/ci/app:1").ok();
        Cmd.Result push = dockerd.docker("push", registry + "/ci/app:1").run();
        assertEquals(0, push.exitCode(), () -> push.describe() + "\n" + stack.logs());
        assertTrue(push.output().contains("digest: sha256:"), push::describe);
        assertTrue(stack.gate().log().contains("robot+ci [") , "the access log names the robot");

        // outside its scope: refused, and the registry never sees it
        dockerd.docker("tag", "e2e/robot:1", registry + "/other/app:1").ok();
        Cmd.Result denied = dockerd.docker("push", registry + "/other/app:1").run().assertFails();
        assertTrue(denied.output().toLowerCase().contains("denied"), denied::describe);
        dockerd.docker("logout", registry).ok();
    }
}
