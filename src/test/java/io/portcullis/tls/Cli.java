package io.portcullis.tls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs external tools (openssl, curl) with a time limit, stdin closed and output captured in a file. */
public final class Cli {
    private static final long TIMEOUT_SECONDS = 30;

    public static final class Result {
        public final int exitCode;
        /** stdout and stderr interleaved, as a user at a terminal would read them. */
        public final String output;
        final String command;

        Result(int exitCode, String output, String command) {
            this.exitCode = exitCode;
            this.output = output;
            this.command = command;
        }

        public Result assertSuccess() {
            assertEquals(0, exitCode, () -> command + " failed:\n" + output);
            return this;
        }
    }

    private Cli() {
    }

    public static Result run(Path dir, String... command) {
        List<String> args = new ArrayList<>(Arrays.asList(command));
        try {
            Path output = Files.createTempFile(dir, "cli", ".out");
            Process process = new ProcessBuilder(args)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(output, StandardCharsets.ISO_8859_1);
            Files.delete(output);
            return new Result(process.exitValue(), text, String.join(" ", args));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + args, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result openssl(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, command);
    }
}
