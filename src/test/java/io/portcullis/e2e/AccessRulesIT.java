package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real gate with an access rules file, driven by skopeo: alice may do everything, bob pushes only inside
 * team-b/, carol only reads, and anybody may pull public/ without credentials.
 */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessRulesIT {
    private static final String RULES = String.join("\n",
            "# written by AccessRulesIT",
            "group readers = " + Users.CAROL,
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.BOB + " pull,push team-b/**",
            "allow @readers pull **",
            "allow anonymous pull public/**",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("access", RULES);
    private static OciLayout.Image image;

    @BeforeAll
    static void up() {
        Tools.require("skopeo", "skopeo");
        image = OciLayout.build(stack.dir().resolve("image"), "v1");
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        // an auth file of our own, so nothing a developer logged in to leaks into the test
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }

    private static String ref(String repository) {
        return "docker://" + stack.gate().hostPort() + "/" + repository + ":1";
    }

    private static String certDir() {
        return stack.pki().caDir().toString();
    }

    private static Cmd.Result push(String user, String password, String repository) {
        return skopeo("copy", "--dest-creds", user + ":" + password, "--dest-cert-dir", certDir(),
                "oci:" + image.layout() + ":v1", ref(repository)).run();
    }

    private static void assertDenied(Cmd.Result r) {
        assertTrue(r.exitCode() != 0, () -> "expected a failure:\n" + r.describe());
        String out = r.output().toLowerCase();
        // the DENIED body shows as "denied"; when the first refused request is a HEAD (a blob check) there is no
        // body to show and skopeo prints the status, "403 (Forbidden)"
        assertTrue(out.contains("denied") || out.contains("403 (forbidden)"), () -> r.describe() + "\n" + stack.logs());
    }

    @Test
    @Order(1)
    void anAdminPushesEverywhere() {
        for (String repository : List.of("team-b/app", "private/app", "public/app")) {
            Cmd.Result r = push(Users.ALICE, Users.ALICE_PW, repository);
            assertEquals(0, r.exitCode(), () -> r.describe() + "\n" + stack.logs());
        }
    }

    @Test
    @Order(2)
    void aReadOnlyUserLogsInAndPullsButIsDeniedOnPush() {
        Cmd.Result login = skopeo("login", "--authfile", stack.dir().resolve("carol-auth.json").toString(), "--cert-dir", certDir(),
                "-u", Users.CAROL, "--password-stdin", stack.gate().hostPort()).stdin(Users.CAROL_PW + "\n").run();
        assertEquals(0, login.exitCode(), () -> login.describe() + "\n" + stack.logs());
        assertTrue(login.output().contains("Login Succeeded"), login::describe);

        Cmd.Result pulled = skopeo("copy", "--src-creds", Users.CAROL + ":" + Users.CAROL_PW, "--src-cert-dir", certDir(),
                ref("private/app"), "oci:" + stack.dir().resolve("carol-pulled") + ":v1").run();
        assertEquals(0, pulled.exitCode(), () -> pulled.describe() + "\n" + stack.logs());

        // carol may check which blobs exist (pull), so the refusal comes at the manifest PUT, with the DENIED body
        Cmd.Result refused = push(Users.CAROL, Users.CAROL_PW, "team-b/app");
        assertDenied(refused);
        assertTrue(refused.output().contains("denied: requested access to the resource is denied"), refused::describe);
    }

    @Test
    @Order(3)
    void aTeamUserPushesOnlyInsideItsNamespace() {
        Cmd.Result own = push(Users.BOB, Users.BOB_PW, "team-b/tools");
        assertEquals(0, own.exitCode(), () -> own.describe() + "\n" + stack.logs());

        assertDenied(push(Users.BOB, Users.BOB_PW, "team-c/app"));
        assertDenied(skopeo("inspect", "--creds", Users.BOB + ":" + Users.BOB_PW, "--cert-dir", certDir(), ref("private/app")).run());
        assertDenied(skopeo("delete", "--creds", Users.BOB + ":" + Users.BOB_PW, "--cert-dir", certDir(), ref("team-b/tools")).run());
    }

    @Test
    @Order(4)
    void anonymousPullsPublicImagesWhilePrivateOnesAskForCredentials() {
        Cmd.Result inspect = skopeo("inspect", "--no-creds", "--cert-dir", certDir(), ref("public/app")).run();
        assertEquals(0, inspect.exitCode(), () -> inspect.describe() + "\n" + stack.logs());
        assertTrue(inspect.stdout().contains(image.manifestDigest()), inspect::describe);

        Cmd.Result copy = skopeo("copy", "--src-no-creds", "--src-cert-dir", certDir(), ref("public/app"),
                "oci:" + stack.dir().resolve("anonymous-pulled") + ":v1").run();
        assertEquals(0, copy.exitCode(), () -> copy.describe() + "\n" + stack.logs());

        Cmd.Result denied = skopeo("inspect", "--no-creds", "--cert-dir", certDir(), ref("private/app")).run();
        assertTrue(denied.exitCode() != 0, denied::describe);
        String out = denied.output().toLowerCase();
        // skopeo 1.9 reports a 401 as "invalid username/password"; newer versions say "unauthorized"/"authentication required"
        assertTrue(out.contains("authentication required") || out.contains("unauthorized") || out.contains("invalid username/password"),
                denied::describe);
    }

    @Test
    @Order(5)
    void editedRulesApplyWithoutARestart() throws Exception {
        assertDenied(push(Users.CAROL, Users.CAROL_PW, "carol/app"));
        int logSoFar = stack.gate().log().length();

        // rename over the file, as editors and kubectl do
        Path next = write(stack.dir().resolve("access.conf.new"), RULES + "allow " + Users.CAROL + " pull,push carol/**\n");
        Files.move(next, stack.dir().resolve("access.conf"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        stack.gate().awaitLog(Pattern.compile("Reloaded access rules .*: 5 rules, 1 group"), logSoFar, Duration.ofSeconds(30));

        Cmd.Result r = push(Users.CAROL, Users.CAROL_PW, "carol/app");
        assertEquals(0, r.exitCode(), () -> r.describe() + "\n" + stack.logs());
    }
}
