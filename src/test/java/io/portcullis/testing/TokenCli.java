package io.portcullis.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code portcullis token …} run as a user runs it, with the settings of a stack's gate (state directory, users). */
public final class TokenCli {
    private TokenCli() {
    }

    public static Cmd.Result run(Stack stack, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "token"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", stack.dir().resolve("state").toString(), "--htpasswd", stack.users().file().toString()));
        return Cmd.of(cmd).timeout(Duration.ofSeconds(60)).run();
    }

    /** Creates a token; its text is the last line of standard output. */
    public static String create(Stack stack, String... args) {
        List<String> all = new ArrayList<>(List.of("create"));
        all.addAll(List.of(args));
        Cmd.Result r = run(stack, all.toArray(String[]::new)).assertOk();
        String[] lines = r.stdout().strip().split("\n");
        String token = lines[lines.length - 1];
        assertTrue(token.matches("pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}"), r::describe);
        return token;
    }
}
