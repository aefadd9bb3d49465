package io.portcullis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** For the audit tests: audit events read from the log and the webhook, blob pushes, signatures, metrics, files. */
public final class AuditSupport {
    private AuditSupport() {
    }

    /** The sum of the samples whose line starts with {@code prefix}. */
    public static double metricPrefix(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    public static List<String> linesOf(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asText()).toList();
    }

    public static boolean action(JsonNode event, String action) {
        return action.equals(event.get("action").asText());
    }

    public static boolean digestIs(JsonNode event, String digest) {
        return digest.equals(text(event, "target", "digest"));
    }

    public static String text(JsonNode event, String object, String field) {
        JsonNode value = event.path(object).path(field);
        return value.isMissingNode() ? "" : value.asText();
    }

    public static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST an upload, then PUT the whole blob with its digest (201): one blob push. */
    public static String pushBlob(Stack on, String creds, String repository, byte[] blob) {
        String digest = Digests.of(blob);
        Path file = write(on.dir().resolve("blob-" + Digests.hex(digest)), blob);
        Curl.Response start = on.curl().exchange("POST", on.gate().url() + "/v2/" + repository + "/blobs/uploads/",
                "-u", creds, "-H", "Content-Length: 0");
        assertEquals(202, start.status(), start::toString);
        String location = start.header("Location");
        Curl.Response put = on.curl().exchange("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest,
                "-u", creds, "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file);
        assertEquals(201, put.status(), put::toString);
        return digest;
    }

    /** The events of the deliveries the receiver accepted (200), in order. */
    public static List<JsonNode> webhookEvents(WebhookReceiver receiver) {
        List<JsonNode> events = new ArrayList<>();
        for (WebhookReceiver.Delivery d : receiver.deliveries()) {
            if (d.status() == 200) {
                events.addAll(EventSchema.validEnvelope(d.body()));
            }
        }
        return events;
    }

    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    public static double metric(String url, String series) {
        return metricPrefix(Curl.plain().exchange("GET", url).bodyText(), series);
    }

    /** skopeo with its own auth file in the stack's directory. */
    public static Cmd skopeo(Stack stack, String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }
}
