package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Drives the real {@code curl} binary (trusting only the given CA, when one is given) and reads back what a
 * user would see: status, the header lines exactly as received, the body and curl's own total time.
 */
public final class Curl {
    private final Path caCert;
    private Duration timeout = Duration.ofSeconds(120);

    public Curl(Path caCert) {
        Tools.require("curl", "curl");
        this.caCert = caCert;
    }

    /** Plain-http curl, for talking to the registry directly. */
    public static Curl plain() {
        return new Curl(null);
    }

    public Curl timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * Runs {@code curl -sS -X METHOD url extraArgs…}; the body goes to {@code bodyFile} when given (large
     * downloads), else it is read into memory.
     */
    public Response exchange(String method, String url, Path bodyFile, String... extraArgs) {
        try {
            Path headers = Files.createTempFile("curl-headers", ".txt");
            Path body = bodyFile != null ? bodyFile : Files.createTempFile("curl-body", ".bin");
            try {
                List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", String.valueOf(timeout.toSeconds()),
                        "-D", headers.toString(), "-o", body.toString(),
                        "-w", "%{http_code} %{time_total} %{speed_upload} %{speed_download}"));
                if (caCert != null) {
                    cmd.add("--cacert");
                    cmd.add(caCert.toString());
                }
                if ("HEAD".equals(method)) {
                    cmd.add("--head");
                } else {
                    cmd.add("-X");
                    cmd.add(method);
                }
                cmd.addAll(Arrays.asList(extraArgs));
                cmd.add(url);
                Cmd.Result r = Cmd.of(cmd).timeout(timeout.plusSeconds(30)).ok();
                String[] w = r.stdout().trim().split(" ");
                String rawHeaders = Files.readString(headers, StandardCharsets.ISO_8859_1);
                byte[] bytes = bodyFile != null ? new byte[0] : Files.readAllBytes(body);
                return new Response(r.command(), Integer.parseInt(w[0]), lastBlock(rawHeaders), bytes,
                        Double.parseDouble(w[1]), r.elapsed());
            } finally {
                Files.deleteIfExists(headers);
                if (bodyFile == null) {
                    Files.deleteIfExists(body);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response exchange(String method, String url, String... extraArgs) {
        return exchange(method, url, null, extraArgs);
    }

    /** Header lines of the final response (after any 100 Continue), without the status line. */
    private static List<String> lastBlock(String raw) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : raw.split("\r?\n")) {
            if (line.startsWith("HTTP/")) {
                current = new ArrayList<>();
                blocks.add(current);
            } else if (current != null && !line.isEmpty()) {
                current.add(line);
            }
        }
        return blocks.isEmpty() ? List.of() : blocks.get(blocks.size() - 1);
    }

    /** One HTTP response as curl received it. */
    public record Response(String command, int status, List<String> headerLines, byte[] body, double timeTotalSeconds,
                           Duration wallClock) {
        /** All values of a header, in order received (case-insensitive name). */
        public List<String> headers(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            List<String> values = new ArrayList<>();
            for (String line : headerLines) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    values.add(line.substring(prefix.length()).trim());
                }
            }
            return values;
        }

        /** The single value of a header; fails if it is missing or repeated. */
        public String header(String name) {
            List<String> v = headers(name);
            if (v.size() != 1) {
                throw new AssertionError("expected exactly one '" + name + "' header, got " + v + "\n" + this);
            }
            return v.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return command + "\n-> " + status + "\n" + String.join("\n", headerLines) + "\n\n"
                    + (body.length > 2000 ? "(" + body.length + " bytes)" : bodyText());
        }
    }
}
