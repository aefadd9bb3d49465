package io.portcullis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.testing.Cmd;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The unit tests' short form of {@link Cmd}, the one process runner: a tool (openssl, curl) run in {@code dir}
 * with a time limit and stdin closed, its exit code and everything it printed as fields.
 */
public final class Cli {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static final class Result {
        public final int exitCode;
        /** stdout, then stderr: what a user at a terminal would read. */
        public final String output;
        final String command;

        Result(Cmd.Result r) {
            this.exitCode = r.exitCode();
            this.output = r.output();
            this.command = r.command();
        }

        public Result assertSuccess() {
            assertEquals(0, exitCode, () -> command + " failed:\n" + output);
            return this;
        }
    }

    private Cli() {
    }

    public static Result run(Path dir, String... command) {
        return new Result(Cmd.of(command).dir(dir).timeout(TIMEOUT).run());
    }

    public static Result openssl(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, command);
    }
}
