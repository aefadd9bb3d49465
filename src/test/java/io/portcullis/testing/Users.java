package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An htpasswd file made with Apache's {@code htpasswd -nbB}: two bcrypt cost-5 users (fast) and one cost-10
 * user (the cost {@code htpasswd -B -C 10} and many guides use).
 */
public final class Users {
    public static final String ALICE = "alice";
    public static final String ALICE_PW = "alice-S3cret pw";
    public static final String BOB = "bob";
    public static final String BOB_PW = "b0b:colon-in-password";
    public static final String CAROL = "carol";
    public static final String CAROL_PW = "carol-cost-10";

    private final Path file;

    private Users(Path file) {
        this.file = file;
    }

    public static Users create(Path file) {
        Tools.require("htpasswd", "apache2-utils");
        StringBuilder sb = new StringBuilder();
        sb.append(entry(ALICE, ALICE_PW, 5));
        sb.append(entry(BOB, BOB_PW, 5));
        sb.append(entry(CAROL, CAROL_PW, 10));
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Users(file);
    }

    private static String entry(String user, String password, int cost) {
        String line = Cmd.of("htpasswd", "-nbB", "-C", String.valueOf(cost), user, password)
                .timeout(Duration.ofSeconds(30)).ok().stdout().strip();
        if (!line.startsWith(user + ":$2y$" + String.format("%02d", cost) + "$")) {
            throw new AssertionError("unexpected htpasswd output: " + line);
        }
        return line + "\n";
    }

    public Path file() {
        return file;
    }
}
