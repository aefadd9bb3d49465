package io.portcullis.server;

import io.portcullis.testing.Poll;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.maintenance.DirectoryMaintenanceStore;
import io.portcullis.maintenance.MaintenanceControl;
import io.portcullis.maintenance.MaintenanceHandler;
import io.portcullis.maintenance.MaintenanceMode;
import io.portcullis.state.StateDirectory;
import io.portcullis.testing.Json;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance switch seen by clients of a running gate: refused writes, pulls, grace for running uploads. */
class MaintenanceGateTest {
    private static final String MANIFEST = "/v2/team/app/manifests/v1";
    private static final String UPLOADS = "/v2/team/app/blobs/uploads/";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("{}");
    TestGate gate;
    HttpClient client;
    DirectoryMaintenanceStore store;

    @BeforeEach
    void start() throws Exception {
        wiremock.server.stubFor(post(urlPathEqualTo(UPLOADS)).willReturn(aResponse().withStatus(202)
                .withHeader("Docker-Upload-UUID", "before-switch").withHeader("Location", UPLOADS + "before-switch")));
        gate = wiremock.gate(dir, Map.of("admin-listen", "127.0.0.1:0"));
        client = gate.client();
        store = new DirectoryMaintenanceStore(StateDirectory.open(gate.settings.stateDir()));
    }

    private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gate.uri(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                .method(method, method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("x"));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReadyz(String fragment) throws Exception {
        awaitReadyz(gate, client, fragment);
    }

    private static void awaitReadyz(TestGate gate, HttpClient client, String fragment) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = client.send(HttpRequest.newBuilder(gate.uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(fragment)) {
                return;
            }
            Poll.pause(20);
        }
        throw new AssertionError("/readyz did not show " + fragment + " within a second: " + body);
    }

    @Test
    void whileOnEveryWriteIsRefusedWithTheMessageAndPullsGoOn() throws Exception {
        assertEquals(200, send("PUT", MANIFEST).statusCode(), "off: forwarded");
        store.switchOn(Instant.now());
        awaitReadyz("\"maintenance\":\"on since");
        int forwardedBefore = wiremock.forwarded().size();
        for (String[] write : List.of(new String[] {"PUT", MANIFEST}, new String[] {"DELETE", MANIFEST},
                new String[] {"POST", UPLOADS}, new String[] {"POST", UPLOADS + "?mount=sha256:" + "a".repeat(64) + "&from=team/base"},
                new String[] {"PATCH", UPLOADS + "some-upload"}, new String[] {"PUT", UPLOADS + "some-upload?digest=sha256:" + "b".repeat(64)},
                new String[] {"DELETE", "/v2/team/app/blobs/sha256:" + "c".repeat(64)})) {
            HttpResponse<String> r = send(write[0], write[1]);
            assertEquals(405, r.statusCode(), write[0] + " " + write[1]);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
            assertEquals("60", r.headers().firstValue("Retry-After").orElse(""), write[0] + " " + write[1]);
            assertTrue(Json.errorCodes(r.body()).equals(List.of("UNSUPPORTED")) && r.body().contains(MaintenanceHandler.MESSAGE), r.body());
        }
        assertEquals(forwardedBefore, wiremock.forwarded().size(), "no refused write reached the registry");
        String metrics = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + gate.gate.adminAddress().orElseThrow().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("\nportcullis_maintenance 1.0\n") && metrics.contains("\nportcullis_maintenance_pending_writes 0.0\n"), metrics);
        assertEquals(200, send("GET", MANIFEST).statusCode(), "pulls work");
        assertEquals(200, send("HEAD", "/v2/team/app/blobs/sha256:" + "c".repeat(64)).statusCode());

        store.switchOff();
        awaitReadyz("\"maintenance\":\"off\"");
        assertEquals(200, send("PUT", MANIFEST).statusCode(), "off again: forwarded");
    }

    @Test
    void everyGateSharingTheStateDirectoryFollowsOneSwitchAndWaitCountsThemAll() throws Exception {
        Path otherDir = Files.createDirectories(dir.resolve("second-gate"));
        TestGate second = wiremock.gate(otherDir, Map.of("state-dir", gate.settings.stateDir().toString()));
        HttpClient secondClient = second.client();
        MaintenanceControl control = new MaintenanceControl(store, Clock.systemUTC());
        MaintenanceMode on = control.on();
        awaitReadyz("\"maintenance\":\"on since");
        awaitReadyz(second, secondClient, "\"maintenance\":\"on since");
        MaintenanceControl.Quiet quiet = control.awaitQuiet(on, Duration.ofSeconds(5), busy -> { });
        assertTrue(quiet.reached(), quiet.toString());
        assertEquals(2, quiet.alive(), "both gates reported the switch");

        second.close();
        assertEquals(1, control.gates(on).size(), "a gate that closed withdrew its report");
    }

    @Test
    void anUploadStartedBeforeTheSwitchFinishesWithinTheGracePeriod() throws Exception {
        assertEquals(202, send("POST", UPLOADS).statusCode());
        store.switchOn(Instant.now());
        awaitReadyz("\"maintenance\":\"on since");
        assertEquals(200, send("PATCH", UPLOADS + "before-switch").statusCode(), "the running upload goes on");
        assertEquals(200, send("PUT", UPLOADS + "before-switch?digest=sha256:" + "d".repeat(64)).statusCode());
        assertEquals(405, send("POST", UPLOADS).statusCode(), "a new upload is refused");
    }
}
