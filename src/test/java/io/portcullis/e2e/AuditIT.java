package io.portcullis.e2e;

import static io.portcullis.testing.AuditSupport.action;
import static io.portcullis.testing.AuditSupport.digestIs;
import static io.portcullis.testing.AuditSupport.ids;
import static io.portcullis.testing.AuditSupport.linesOf;
import static io.portcullis.testing.AuditSupport.metricPrefix;
import static io.portcullis.testing.AuditSupport.text;
import static io.portcullis.testing.AuditSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.AuditSupport;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import io.portcullis.testing.EventSchema;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import io.portcullis.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit trail through the real jar in front of the real registry: skopeo and curl act as alice and bob, and the
 * audit log, a webhook receiver on loopback and /metrics say who did what, in distribution's notification format.
 */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip", "curl"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SECRET = "webhook secret, not a password";
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.BOB + " pull team/**",
            "");
    private static final Pattern ADMIN = Pattern.compile("Admin listener on http://127\\.0\\.0\\.1:(\\d+)");

    private static WebhookReceiver receiver;
    private static Stack stack;
    private static Path auditLog;
    private static OciLayout.Image image;
    private static String manifestDigest;

    @BeforeAll
    static void up() {
        Tools.require("skopeo", "skopeo");
        receiver = WebhookReceiver.start();
        stack = Stack.start("audit", "256m", dir -> List.of(
                "--access", write(dir.resolve("access.conf"), RULES).toString(),
                "--audit-log", dir.resolve("audit/audit.log").toString(),
                "--audit-webhook", receiver.url(),
                "--audit-webhook-secret-file", write(dir.resolve("webhook.secret"), SECRET + "\n").toString(),
                "--audit-actions", "push,delete,mount,pull,login.failure,access.denied"));
        auditLog = stack.dir().resolve("audit/audit.log");
        image = OciLayout.build(stack.dir().resolve("image"), "v1");
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void skopeoPushRecordsTheManifestAndEveryLayerAsAlice() {
        AuditSupport.skopeo(stack, "copy", "--dest-creds", creds(), "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":v1", ref("team/app:1")).ok();
        Cmd.Result inspect = AuditSupport.skopeo(stack, "inspect", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(), ref("team/app:1")).ok();
        manifestDigest = Json.read(inspect.stdout()).get("Digest").asText();
        assertEquals(image.manifestDigest(), manifestDigest);

        JsonNode manifest = awaitEvent(e -> action(e, "push") && "1".equals(text(e, "target", "tag")));
        assertEquals(Users.ALICE, text(manifest, "actor", "name"));
        assertEquals("team/app", text(manifest, "target", "repository"));
        assertEquals(manifestDigest, text(manifest, "target", "digest"));
        assertEquals("application/vnd.oci.image.manifest.v1+json", text(manifest, "target", "mediaType"));
        Map<String, byte[]> blobs = OciLayout.blobs(image.layout());
        assertEquals(blobs.get(manifestDigest.substring("sha256:".length())).length, manifest.get("target").get("size").asLong());
        assertEquals("PUT", text(manifest, "request", "method"));
        assertTrue(text(manifest, "request", "useragent").contains("skopeo"), manifest::toString);
        assertFalse(text(manifest, "source", "instanceID").isEmpty());

        for (String layer : image.layerDigests()) {
            JsonNode blob = awaitEvent(e -> action(e, "push") && layer.equals(text(e, "target", "digest")));
            assertEquals(Users.ALICE, text(blob, "actor", "name"));
            assertEquals("team/app", text(blob, "target", "repository"));
            assertEquals(blobs.get(layer.substring("sha256:".length())).length, blob.get("target").get("size").asLong(), blob::toString);
            assertEquals(1, events(e -> action(e, "push") && layer.equals(text(e, "target", "digest"))).size(), "one push per layer");
        }

        // the webhook got the same events, signed, in the registry's envelope
        List<JsonNode> fromLog = events(e -> action(e, "push"));
        assertTrue(Poll.until(() -> webhookEventIds().containsAll(ids(fromLog)), DEADLINE),
                () -> "webhook got " + webhookEventIds() + ", log has " + ids(fromLog));
        for (WebhookReceiver.Delivery d : receiver.deliveries()) {
            assertEquals("application/vnd.docker.distribution.events.v1+json", d.contentType());
            assertEquals(AuditSupport.hmac(SECRET, d.body()), d.signature(), "signature of " + d.body());
        }
    }

    @Test
    @Order(2)
    void inspectGivesAPullWhenPullsAreRecorded() {
        int before = events(e -> action(e, "pull")).size();
        AuditSupport.skopeo(stack, "inspect", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(), ref("team/app:1")).ok();
        assertTrue(Poll.until(() -> events(e -> action(e, "pull")).size() > before, DEADLINE), this::auditText);
        JsonNode pull = events(e -> action(e, "pull")).get(before);
        assertEquals(Users.ALICE, text(pull, "actor", "name"));
        assertEquals(manifestDigest, text(pull, "target", "digest"));
        assertEquals("team/app", text(pull, "target", "repository"));
    }

    @Test
    @Order(3)
    void crossRepositoryMountGivesAMount() {
        String layer = image.layerDigests().get(0);
        Curl.Response mount = stack.curl().exchange("POST", stack.gate().url() + "/v2/team/copy/blobs/uploads/?mount="
                + layer + "&from=team/app", "-u", creds(), "-H", "Content-Length: 0");
        assertEquals(201, mount.status(), mount::toString);
        JsonNode event = awaitEvent(e -> action(e, "mount"));
        assertEquals("team/copy", text(event, "target", "repository"));
        assertEquals("team/app", text(event, "target", "fromRepository"));
        assertEquals(layer, text(event, "target", "digest"));
        assertEquals(Users.ALICE, text(event, "actor", "name"));
    }

    @Test
    @Order(4)
    void deniedPushGivesAccessDenied() {
        Curl.Response denied = stack.curl().exchange("POST", stack.gate().url() + "/v2/team/app/blobs/uploads/",
                "-u", Users.BOB + ":" + Users.BOB_PW, "-H", "Content-Length: 0");
        assertEquals(403, denied.status(), denied::toString);
        JsonNode event = awaitEvent(e -> action(e, "access.denied"));
        assertEquals(Users.BOB, text(event, "actor", "name"));
        assertEquals("team/app", text(event, "target", "repository"));
        assertEquals("POST", text(event, "request", "method"));
    }

    @Test
    @Order(5)
    void failedLoginGivesLoginFailureWithTheNameAsGivenButNoPassword() {
        Curl.Response wrong = stack.curl().exchange("GET", stack.gate().url() + "/v2/", "-u", Users.ALICE + ":wrong-pw-1234");
        assertEquals(401, wrong.status(), wrong::toString);
        String longName = "m".repeat(500);
        Curl.Response unknown = stack.curl().exchange("GET", stack.gate().url() + "/v2/", "-u", longName + ":pw-5678");
        assertEquals(401, unknown.status(), unknown::toString);
        JsonNode failure = awaitEvent(e -> action(e, "login.failure") && Users.ALICE.equals(text(e, "actor", "name")));
        assertTrue(text(failure, "request", "addr").startsWith("127.0.0.1:"), failure::toString);
        JsonNode capped = awaitEvent(e -> action(e, "login.failure") && text(e, "actor", "name").startsWith("mmm"));
        assertEquals(64, text(capped, "actor", "name").length());
        String all = auditText();
        assertFalse(all.contains("wrong-pw-1234") || all.contains("pw-5678") || all.contains(Users.ALICE_PW), all);
    }

    @Test
    @Order(6)
    void deleteGivesADelete() {
        AuditSupport.skopeo(stack, "delete", "--creds", creds(), "--cert-dir", stack.pki().caDir().toString(), ref("team/app:1")).ok();
        JsonNode event = awaitEvent(e -> action(e, "delete"));
        assertEquals(Users.ALICE, text(event, "actor", "name"));
        assertEquals("team/app", text(event, "target", "repository"));
        assertEquals(manifestDigest, text(event, "target", "digest"));
    }

    @Test
    @Order(7)
    void eventsWaitWhileTheWebhookIsDownAndArriveInOrder() {
        receiver.down();
        int deliveredBefore = receiver.deliveries().size();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            digests.add(AuditSupport.pushBlob(stack, creds(), "team/outage", Digests.randomBytes(1000 + i, 100 + i)));
        }
        for (String digest : digests) {
            awaitEvent(e -> action(e, "push") && digest.equals(text(e, "target", "digest")));
        }
        assertEquals(deliveredBefore, receiver.deliveries().size());
        receiver.up();
        assertTrue(Poll.until(() -> webhookDigests().containsAll(digests), DEADLINE),
                () -> "webhook got " + webhookDigests());
        List<String> got = webhookDigests();
        List<Integer> positions = digests.stream().map(got::indexOf).toList();
        assertTrue(positions.get(0) < positions.get(1) && positions.get(1) < positions.get(2), "out of order: " + positions);
    }

    @Test
    @Order(8)
    void afterRenameAndSighupNewEventsGoToANewFileAndNoneIsLost() throws Exception {
        String before = AuditSupport.pushBlob(stack, creds(), "team/rotate", Digests.randomBytes(2000, 1));
        awaitEvent(e -> digestIs(e, before));
        Path rotated = auditLog.resolveSibling("audit.log.1");
        Files.move(auditLog, rotated);
        String between = AuditSupport.pushBlob(stack, creds(), "team/rotate", Digests.randomBytes(2001, 2));
        Cmd.of("kill", "-HUP", Long.toString(stack.gate().pid())).ok();
        String after = AuditSupport.pushBlob(stack, creds(), "team/rotate", Digests.randomBytes(2002, 3));
        assertTrue(Poll.until(() -> Files.exists(auditLog)
                && linesOf(auditLog).stream().anyMatch(l -> l.contains(after)), DEADLINE), "no new audit.log with the last event");
        List<String> all = new ArrayList<>(linesOf(rotated));
        all.addAll(linesOf(auditLog));
        for (String digest : List.of(before, between, after)) {
            assertEquals(1, all.stream().filter(l -> digestIs(Json.read(l), digest)).count(), digest + " in\n" + all);
        }
        assertTrue(linesOf(rotated).stream().anyMatch(l -> l.contains(before)), "the rotated file keeps what was written before");
        EventSchema.validLines(all);
    }

    @Test
    @Order(9)
    void aTinyQueueDropsTheOldestCountsThemAndTheGateKeepsServing() {
        WebhookReceiver gone = WebhookReceiver.start();
        gone.down();
        try (Stack small = Stack.start("audit-small", "128m", dir -> List.of(
                "--audit-webhook", gone.url(), "--audit-queue", "2", "--admin-listen", "127.0.0.1:0"))) {
            int events = 30;
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                AuditSupport.pushBlob(small, creds(), "team/flood", Digests.randomBytes(100, 1000 + i));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Matcher admin = small.gate().awaitLog(ADMIN, 0, DEADLINE);
            String metricsUrl = "http://127.0.0.1:" + admin.group(1) + "/metrics";
            assertTrue(Poll.until(() -> AuditSupport.metric(metricsUrl, "portcullis_audit_events_total{action=\"push\"}") == events,
                    DEADLINE), () -> Curl.plain().exchange("GET", metricsUrl).bodyText());
            String text = Curl.plain().exchange("GET", metricsUrl).bodyText();
            double queued = metricPrefix(text, "portcullis_audit_queue_length{");
            double dropped = metricPrefix(text, "portcullis_audit_dropped_events_total{");
            assertTrue(queued <= 2, text);
            assertEquals(events, queued + dropped, text);
            assertTrue(metricPrefix(text, "portcullis_audit_webhook_deliveries_total{outcome=\"failure\"") >= 1, text);
            // serving never waited for the receiver: 30 uploads of two requests each, well within the connect timeout
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
            Curl.Response base = small.curl().exchange("GET", small.gate().url() + "/v2/", "-u", creds());
            assertEquals(200, base.status(), base::toString);
        } finally {
            gone.close();
        }
    }

    @Test
    @Order(10)
    void sigtermDeliversWhatIsQueuedWithinTheDrainTimeout() {
        receiver.answer(503);
        String digest = AuditSupport.pushBlob(stack, creds(), "team/drain", Digests.randomBytes(3000, 4));
        // the receiver refused it once: the event now waits in the queue for a retry after a backoff
        assertTrue(Poll.until(() -> receiver.deliveries().stream()
                .anyMatch(d -> d.status() == 503 && d.body().contains(digest)), DEADLINE), "no refused delivery");
        receiver.answer(200);
        assertEquals(0, stack.gate().stop(Duration.ofSeconds(60)), stack::logs);
        assertTrue(receiver.deliveries().stream().anyMatch(d -> d.status() == 200 && d.body().contains(digest)),
                () -> "not delivered before exit: " + receiver.deliveries() + "\n" + stack.logs());
    }

    // ---- helpers

    private JsonNode awaitEvent(Predicate<JsonNode> match) {
        assertTrue(Poll.until(() -> !events(match).isEmpty(), DEADLINE),
                () -> "no such event in the audit log:\n" + auditText() + "\n" + stack.logs());
        return events(match).get(0);
    }

    private static List<JsonNode> events(Predicate<JsonNode> match) {
        return EventSchema.validLines(linesOf(auditLog)).stream().filter(match).toList();
    }

    private String auditText() {
        return String.join("\n", linesOf(auditLog));
    }

    private static List<String> webhookEventIds() {
        return ids(AuditSupport.webhookEvents(receiver));
    }

    private static List<String> webhookDigests() {
        return AuditSupport.webhookEvents(receiver).stream().map(e -> text(e, "target", "digest")).toList();
    }

    private static String ref(String nameAndTag) {
        return "docker://" + stack.gate().hostPort() + "/" + nameAndTag;
    }

    private static String creds() {
        return Users.ALICE + ":" + Users.ALICE_PW;
    }
}
