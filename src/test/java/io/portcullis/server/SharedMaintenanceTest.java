package io.portcullis.server;

import io.portcullis.testing.Poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.maintenance.MaintenanceHandler;
import io.portcullis.maintenance.MaintenanceStore;
import io.portcullis.maintenance.MaintenanceStores;
import io.portcullis.maintenance.MaintenanceSwitch;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisGates;
import io.portcullis.testing.RedisProcess;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One maintenance switch for two gates with separate state directories, through one real redis-server. */
@NeedsTools("redis-server")
class SharedMaintenanceTest {
    private static final String MANIFEST = "/v2/team/app/manifests/v1";

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("{}");
    RedisGates shared;
    RedisProcess redis;
    List<TestGate> gates;
    MaintenanceStore command;

    @BeforeEach
    void start() throws Exception {
        shared = RedisGates.start(wiremock, dir, 2, Map.of());
        redis = shared.redis;
        gates = shared.gates;
        // what 'portcullis maintenance on' opens, with the first gate's settings (its own state directory)
        command = MaintenanceStores.open(gates.get(0).settings);
    }

    @AfterEach
    void stop() {
        command.close();
        shared.close();
    }

    private static int put(TestGate gate) throws Exception {
        return gate.client().send(HttpRequest.newBuilder(gate.uri(MANIFEST)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void awaitStatus(TestGate gate, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = put(gate);
            if (status == expected) {
                return;
            }
            Poll.pause(20);
        }
        throw new AssertionError("gate on port " + gate.port() + " answered " + status + ", not " + expected + ", within a second");
    }

    @Test
    void aSwitchThroughRedisReachesEveryGateWithinASecondAndEveryGateReports() throws Exception {
        for (TestGate gate : gates) {
            assertEquals(200, put(gate));
        }

        long generation = command.switchOn(Instant.now()).generation();
        for (TestGate gate : gates) {
            awaitStatus(gate, MaintenanceHandler.STATUS);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (command.reports().stream().filter(r -> r.generation() == generation).count() < 2) {
            assertTrue(System.nanoTime() < deadline, "both gates report the switch: " + command.reports());
            Poll.pause(20);
        }

        command.switchOff();
        for (TestGate gate : gates) {
            awaitStatus(gate, 200);
        }
    }

    @Test
    void withRedisGoneGatesKeepTheModeTheyHadAndTheCommandSaysNothingChanged() throws Exception {
        command.switchOn(Instant.now());
        for (TestGate gate : gates) {
            awaitStatus(gate, MaintenanceHandler.STATUS);
        }
        redis.kill();

        UserError e = assertThrows(UserError.class, command::switchOff);
        assertTrue(e.getMessage().contains("not changed"), e.getMessage());
        // two heartbeats: every gate has polled the Redis that is gone (this waits on time, it synchronises nothing)
        Poll.pause(2 * MaintenanceSwitch.HEARTBEAT.toMillis());
        for (TestGate gate : gates) {
            assertEquals(MaintenanceHandler.STATUS, put(gate), "still in maintenance");
        }
    }
}
