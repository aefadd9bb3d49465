package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.AuditSupport;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.GateProcess;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.SlapdProcess;
import io.portcullis.testing.Stack;
import io.portcullis.testing.TestDirectory;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real jar with a real OpenLDAP slapd (LDAPS, the directory's own test CA, a service bind, groups searched) in
 * front of the real registry: skopeo logs in and pushes as directory users, directory groups decide through the
 * access rules, user names built to widen the search find nobody (slapd's own log shows the filters it got), and
 * with slapd stopped directory users get 503 while htpasswd users push.
 */
@NeedsTools({"docker-registry", "skopeo", "slapd", "slapadd", "openssl", "curl", "tar", "gzip"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryIT {
    private static final String RULES = String.join("\n",
            "allow group:developers pull,push team/**",
            "allow group:readers pull team/**",
            "allow alice pull,push,delete **",
            "");

    @RegisterExtension
    static final SlapdProcess slapd = SlapdProcess.fixture("directory-slapd");
    @RegisterExtension
    static final Stack stack = Stack.fixture("directory", "256m", dir -> {
        List<String> flags = new ArrayList<>(slapd.gateFlags(dir));
        flags.addAll(List.of("--access", AuditSupport.write(dir.resolve("access.conf"), RULES).toString()));
        return flags;
    });
    private static OciLayout.Image image;

    @BeforeAll
    static void up() {
        image = OciLayout.build(stack.dir().resolve("image"), "v1");
    }

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }

    private static String creds(String uid) {
        return uid + ":" + TestDirectory.password(uid);
    }

    private static Cmd.Result push(String user, String password, String repository) {
        return skopeo("copy", "--dest-creds", user + ":" + password, "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":v1", "docker://" + stack.gate().hostPort() + "/" + repository).run();
    }

    private static Cmd.Result inspect(String uid, String repository) {
        return skopeo("inspect", "--creds", creds(uid), "--cert-dir", stack.pki().caDir().toString(), "--raw",
                "docker://" + stack.gate().hostPort() + "/" + repository).run();
    }

    private static Curl.Response base(String user, String password) {
        return stack.curl().exchange("GET", stack.gate().url() + "/v2/", "-u", user + ":" + password);
    }

    private String logs() {
        return stack.logs() + "\n--- slapd log ---\n" + tail(slapd.log());
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
    }

    @Test
    @Order(1)
    void skopeoLogsInAsADirectoryUserAndAWrongPasswordIsRefused() {
        Cmd.Result ok = skopeo("login", "--cert-dir", stack.pki().caDir().toString(), "-u", "dora", "--password-stdin",
                stack.gate().hostPort()).stdin(TestDirectory.password("dora") + "\n").run();
        assertEquals(0, ok.exitCode(), () -> ok.describe() + "\n" + logs());
        assertTrue(ok.output().contains("Login Succeeded"), ok::describe);
        Cmd.Result wrong = skopeo("login", "--authfile", stack.dir().resolve("other.json").toString(), "--cert-dir",
                stack.pki().caDir().toString(), "-u", "dora", "--password-stdin", stack.gate().hostPort())
                .stdin("not-dora\n").run().assertFails();
        String out = wrong.output().toLowerCase();
        assertTrue(out.contains("invalid username/password") || out.contains("unauthorized"), wrong::describe);
    }

    @Test
    @Order(2)
    void directoryGroupsDecideThroughTheAccessRules() {
        Cmd.Result pushed = push("dora", TestDirectory.password("dora"), "team/app:1");
        assertEquals(0, pushed.exitCode(), () -> pushed.describe() + "\n" + logs());
        Cmd.Result read = inspect("rita", "team/app:1");
        assertEquals(0, read.exitCode(), () -> read.describe() + "\n" + logs());
        assertTrue(read.output().contains("schemaVersion"), read::describe);
        Cmd.Result readerPush = push("rita", TestDirectory.password("rita"), "team/app:2");
        assertFalse(readerPush.exitCode() == 0, "readers may not push: " + readerPush.describe());
        assertTrue(readerPush.output().toLowerCase().contains("denied"), readerPush::describe);
        Cmd.Result noGroup = inspect("nick", "team/app:1");
        assertFalse(noGroup.exitCode() == 0, "nick is in no group: " + noGroup.describe());
        assertEquals(403, stack.curl().exchange("GET", stack.gate().url() + "/v2/team/app/manifests/1", "-u", creds("nick")).status());
    }

    @Test
    @Order(3)
    void namesBuiltToWidenTheSearchFindNobody() {
        int from = slapd.log().length();
        for (String attack : List.of("*", "*)(uid=*", "dora)(|(uid=*", "(dora)", "do*", "dora\u0001", "x".repeat(250))) {
            // the password of a real user: a widened search that found dora would let it in
            Curl.Response r = base(attack, TestDirectory.password("dora"));
            assertEquals(401, r.status(), () -> attack + ": " + r + "\n" + logs());
        }
        Curl.Response tooLong = base("y".repeat(300), "pw");
        assertEquals(401, tooLong.status());
        String log = slapd.log().substring(from);
        Matcher filters = Pattern.compile("SRCH base=\"" + Pattern.quote(TestDirectory.PEOPLE) + "\" scope=2 deref=\\d+ filter=\"([^\"]*)\"")
                .matcher(log);
        int searches = 0;
        while (filters.find()) {
            searches++;
            String filter = filters.group(1);
            assertTrue(filter.startsWith("(uid=") && filter.indexOf('(', 1) < 0 && filter.indexOf('*') < 0,
                    "one equality match, wildcards and parentheses escaped: " + filter);
        }
        assertTrue(searches >= 6, "slapd saw the searches (" + searches + "):\n" + tail(log));
        assertFalse(log.contains("BIND dn=\"uid=dora"), "nobody was bound as dora:\n" + tail(log));
    }

    @Test
    @Order(4)
    void theDirectoryStoppedGivesDirectoryUsers503WhileHtpasswdUsersPush() {
        slapd.stop();
        try {
            // sam has not logged in before: nothing cached, the directory must be asked
            Curl.Response r = base("sam", TestDirectory.password("sam"));
            assertEquals(503, r.status(), () -> r + "\n" + logs());
            assertTrue(Json.errorCodes(r.bodyText()).equals(List.of("UNAVAILABLE")) && r.bodyText().contains("login directory is unreachable"), r::toString);
            assertTrue(r.timeTotalSeconds() < 10, "bounded by ldap-timeout: " + r.timeTotalSeconds());
            assertEquals(200, base("dora", TestDirectory.password("dora")).status(),
                    "a login verified within auth-cache-ttl goes on (a push in progress finishes)");
            Cmd.Result pushed = push(Users.ALICE, Users.ALICE_PW, "team/app:htpasswd");
            assertEquals(0, pushed.exitCode(), () -> pushed.describe() + "\n" + logs());
            Cmd.Result login = skopeo("login", "--authfile", stack.dir().resolve("nick.json").toString(), "--cert-dir",
                    stack.pki().caDir().toString(), "-u", "sam", "--password-stdin", stack.gate().hostPort())
                    .stdin(TestDirectory.password("sam") + "\n").run().assertFails();
            assertTrue(login.output().contains("503") || login.output().toLowerCase().contains("unavailable"), login::describe);
            assertTrue(stack.gate().log().contains("unavailable for the login of 'sam'"), this::logs);
        } finally {
            slapd.start();
        }
        Curl.Response back = base("sam", TestDirectory.password("sam"));
        assertEquals(200, back.status(), () -> "logins work again once the directory is back: " + back + "\n" + logs());
    }

    @Test
    @Order(5)
    void startTlsDirectoryAlsoWorks() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(stack.dir().resolve("starttls"));
        List<String> flags = new ArrayList<>(slapd.gateFlags(dir));
        flags.set(flags.indexOf("--ldap-url") + 1, slapd.startTlsUrl());
        try (GateProcess gate = GateProcess.start(dir, stack.registry().url(), stack.pki(), stack.users(),
                "192m", Stack.REALM, flags)) {
            Curl.Response r = stack.curl().exchange("GET", gate.url() + "/v2/", "-u", creds("rita"));
            assertEquals(200, r.status(), () -> r + "\n" + gate.log());
        }
    }

    @Test
    @Order(6)
    void aDirectoryUsersTokenActsWithTheGroupsOfItsLastLogin() {
        // dora logged in with her directory password above: the ledger knows her, so she may own a token
        Cmd.Result created = Cmd.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "token", "create",
                        "--owner", "dora", "--scope", "pull,push:team/*", "--expires", "1d",
                        "--state-dir", stack.dir().resolve("state").toString(), "--htpasswd", stack.users().file().toString())
                .timeout(Duration.ofSeconds(60)).ok();
        String token = created.output().lines().filter(l -> l.startsWith("pcl_")).findFirst()
                .orElseThrow(() -> new AssertionError(created.describe()));
        Cmd.Result pushed = push("dora", token, "team/app:token");
        assertEquals(0, pushed.exitCode(), () -> pushed.describe() + "\n" + logs());

        Cmd.Result refused = Cmd.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "token", "create",
                        "--owner", "never-signed-in", "--scope", "pull:team/*",
                        "--state-dir", stack.dir().resolve("state").toString(), "--htpasswd", stack.users().file().toString())
                .timeout(Duration.ofSeconds(60)).run().assertFails();
        assertTrue(refused.output().contains("has not signed in"), refused::describe);
    }
}
