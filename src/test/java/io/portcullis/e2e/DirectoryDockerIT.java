package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.AuditSupport;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.DockerdFixture;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.SlapdProcess;
import io.portcullis.testing.Stack;
import io.portcullis.testing.TestDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The docker CLI (a private dockerd) logs in with a directory password against slapd through the gate: a wrong
 * password is "unauthorized", the right one logs in and pushes where the user's directory group may push, and a
 * user whose group may only pull is denied the push.
 */
@NeedsTools(value = {"docker-registry", "dockerd", "docker", "slapd", "slapadd", "openssl", "tar"}, root = true)
class DirectoryDockerIT {
    @RegisterExtension
    static final SlapdProcess slapd = SlapdProcess.fixture("directory-docker-slapd");
    @RegisterExtension
    static final Stack stack = Stack.fixture("directory-docker", "256m", dir -> {
        List<String> flags = new ArrayList<>(slapd.gateFlags(dir));
        flags.addAll(List.of("--access", AuditSupport.write(dir.resolve("access.conf"),
                "allow group:developers pull,push team/**\nallow group:readers pull team/**\n").toString()));
        return flags;
    });
    @RegisterExtension
    static final DockerdFixture dockerd = new DockerdFixture();

    private static Cmd.Result login(String user, String password) {
        return dockerd.docker("login", stack.gate().hostPort(), "-u", user, "--password-stdin").stdin(password + "\n").run();
    }

    @Test
    void dockerLogsInAndPushesWithADirectoryPassword() throws Exception {
        Path rootfs = Files.createDirectories(stack.dir().resolve("rootfs").resolve("etc"));
        Files.writeString(rootfs.resolve("motd"), "from the directory\n");
        Path tarball = stack.dir().resolve("rootfs.tar");
        Cmd.of("tar", "-C", stack.dir().resolve("rootfs").toString(), "-cf", tarball.toString(), ".").ok();
        String remote = stack.gate().hostPort() + "/team/hello:1";
        dockerd.docker("import", tarball.toString(), remote).ok();

        Cmd.Result wrong = login("dora", "not-dora").assertFails();
        assertTrue(wrong.output().toLowerCase().contains("unauthorized"), wrong::describe);
        Cmd.Result ok = login("dora", TestDirectory.password("dora"));
        assertEquals(0, ok.exitCode(), () -> ok.describe() + "\n" + stack.logs() + "\n--- dockerd ---\n" + dockerd.log());
        assertTrue(ok.output().contains("Login Succeeded"), ok::describe);
        Cmd.Result pushed = dockerd.docker("push", remote).run();
        assertEquals(0, pushed.exitCode(), () -> pushed.describe() + "\n" + stack.logs());

        assertEquals(0, login("rita", TestDirectory.password("rita")).exitCode());
        Cmd.Result denied = dockerd.docker("push", remote).run().assertFails();
        assertTrue(denied.output().toLowerCase().contains("denied"), denied::describe);
    }
}
