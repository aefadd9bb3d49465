package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real gate picks up htpasswd edits while it runs: an added user gets in, a removed one is refused. */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class ReloadIT {
    private static final String DAVE = "dave";
    private static final String DAVE_PW = "dave-added-at-runtime";

    @Test
    void usersAddedAndRemovedInTheHtpasswdFileTakeEffectWithoutRestart() throws Exception {
        try (Stack stack = Stack.start("reload")) {
            Curl curl = stack.curl().timeout(Duration.ofSeconds(30));
            String url = stack.gate().url() + "/v2/";
            assertEquals(401, curl.exchange("GET", url, "-u", DAVE + ":" + DAVE_PW).status());
            Path file = stack.users().file();
            List<String> original = Files.readAllLines(file, StandardCharsets.UTF_8);

            // the admin tool appends, as an operator would
            Cmd.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "htpasswd", DAVE, "--password-stdin",
                    "--cost", "5", "--file", file.toString()).stdin(DAVE_PW + "\n").ok();
            // wait for the reload's log line rather than polling with dave's password: failed logins are throttled
            assertTrue(awaitReloads(stack, 1), () -> "no reload logged\n" + stack.logs());
            assertEquals(200, curl.exchange("GET", url, "-u", DAVE + ":" + DAVE_PW).status(), stack::logs);

            // an editor's save: a new file renamed over the old one, without dave
            Path edited = file.resolveSibling("htpasswd.new");
            Files.write(edited, original, StandardCharsets.UTF_8);
            Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertTrue(awaitReloads(stack, 2), () -> "no second reload logged\n" + stack.logs());
            assertEquals(401, curl.exchange("GET", url, "-u", DAVE + ":" + DAVE_PW).status(), stack::logs);
            assertEquals(200, curl.exchange("GET", url, "-u", Users.ALICE + ":" + Users.ALICE_PW).status(), stack::logs);
        }
    }

    private static boolean awaitReloads(Stack stack, int count) {
        return Poll.until(
                () -> stack.gate().log().split("Reloaded htpasswd", -1).length - 1 >= count, Duration.ofSeconds(20));
    }
}
