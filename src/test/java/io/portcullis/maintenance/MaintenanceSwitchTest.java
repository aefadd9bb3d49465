package io.portcullis.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.state.StateDirectory;
import io.portcullis.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceSwitchTest {
    @TempDir
    Path dir;

    private DirectoryMaintenanceStore store() {
        return new DirectoryMaintenanceStore(StateDirectory.open(dir.resolve("state")));
    }

    @Test
    void theModeSurvivesInTheStateDirectoryAndEachChangeIsANewGeneration() {
        DirectoryMaintenanceStore store = store();
        assertEquals(MaintenanceMode.OFF, store.mode());
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        MaintenanceMode on = store.switchOn(now);
        assertEquals(on, store.switchOn(now.plusSeconds(60)), "on twice keeps the first time");
        MaintenanceMode reread = store().mode();
        assertTrue(reread.on());
        assertEquals(now, reread.since().orElseThrow());
        MaintenanceMode off = store.switchOff();
        assertFalse(off.on());
        assertTrue(off.generation() > on.generation());
        assertFalse(store().mode().on());
    }

    @Test
    void aMalformedModeFileIsAClearError() throws Exception {
        DirectoryMaintenanceStore store = store();
        Files.writeString(store.modeFile(), "maintenance please\n");
        UserError e = assertThrows(UserError.class, store::mode);
        assertTrue(e.getMessage().contains("remove it"), e.getMessage());
    }

    @Test
    void aGateSeesTheSwitchWithinAHeartbeatAndReportsWhatItLetsThrough() throws Exception {
        DirectoryMaintenanceStore store = store();
        try (MaintenanceSwitch gate = MaintenanceSwitch.start(store, Duration.ofMinutes(5))) {
            assertTrue(gate.admit(null), "writes pass while off");
            MaintenanceMode on = store.switchOn(Instant.now());
            Poll.assertWithin(Duration.ofSeconds(5), gate::isOn, "the gate applies the switch");
            assertFalse(gate.admit(null), "a new write is refused");
            Poll.assertWithin(Duration.ofSeconds(5), () -> report(store, gate).generation() == on.generation(), "a report of the new generation");
            assertFalse(report(store, gate).quiesced(on), "the write admitted before is still pending");
            gate.done();
            Poll.assertWithin(Duration.ofSeconds(5), () -> report(store, gate).quiesced(on), "nothing pending once it is done");
        }
        assertEquals(List.of(), store.reports(), "a closed gate withdraws its report");
    }

    @Test
    void anUploadStartedBeforeTheSwitchMayContinueUntilTheGateIsQuiet() throws Exception {
        DirectoryMaintenanceStore store = store();
        try (MaintenanceSwitch gate = MaintenanceSwitch.start(store, Duration.ofMinutes(5))) {
            gate.uploadStarted("before");
            store.switchOn(Instant.now());
            gate.refresh();
            gate.uploadStarted("after"); // cannot happen through the handler; shows the generation decides
            assertFalse(gate.admit("after"));
            assertFalse(gate.admit("unknown"));
            assertTrue(gate.admit("before"), "PATCH of an upload from before the switch");
            gate.done();
            assertEquals(1, gate.pending(), "the upload counts while it is alive");
            gate.uploadFinished("before");
            assertEquals(0, gate.pending());
            gate.uploadStarted("resumed-late");
            assertFalse(gate.admit("before"), "after a quiet moment the grace is over");
        }
    }

    @Test
    void anUploadIsAliveFromTheEndOfItsLastRequestSoALongPatchKeepsItsPut() throws Exception {
        DirectoryMaintenanceStore store = store();
        Duration abandoned = Duration.ofMillis(500);
        try (MaintenanceSwitch gate = MaintenanceSwitch.start(store, Duration.ofMinutes(5), abandoned)) {
            gate.uploadStarted("layer");
            store.switchOn(Instant.now());
            gate.refresh();
            assertTrue(gate.admit("layer"), "the PATCH of a large layer");
            passes(abandoned.multipliedBy(3)); // the PATCH takes longer than an upload may stay silent
            gate.uploadTouched("layer"); // as MaintenanceHandler does when a request of the upload ends, before done()
            gate.done();
            assertEquals(1, gate.pending(), "the upload is alive: it just sent");
            assertTrue(gate.admit("layer"), "its PUT goes through");
            gate.done();
            passes(abandoned.multipliedBy(3));
            assertEquals(0, gate.pending(), "silent for longer than that: abandoned");
        }
    }

    /** Lets this much time pass: the durations are what is tested here, nothing is waited for. */
    private static void passes(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = until - System.nanoTime()) {
            Poll.pause(Math.max(1, left / 1_000_000));
        }
    }

    @Test
    void noGraceWhenTheGracePeriodIsOver() throws Exception {
        DirectoryMaintenanceStore store = store();
        try (MaintenanceSwitch gate = MaintenanceSwitch.start(store, Duration.ofMillis(1))) {
            gate.uploadStarted("before");
            store.switchOn(Instant.now());
            gate.refresh();
            passes(Duration.ofMillis(5));
            assertFalse(gate.admit("before"));
        }
    }

    private static GateReport report(DirectoryMaintenanceStore store, MaintenanceSwitch gate) {
        return store.reports().stream().filter(r -> r.gate().equals(gate.gate())).findFirst()
                .orElse(new GateReport(gate.gate(), -1, -1, Instant.EPOCH));
    }
}
