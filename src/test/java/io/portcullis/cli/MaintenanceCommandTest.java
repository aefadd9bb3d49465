package io.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.maintenance.DirectoryMaintenanceStore;
import io.portcullis.maintenance.GateReport;
import io.portcullis.maintenance.MaintenanceSwitch;
import io.portcullis.state.StateDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portcullis maintenance} against gates' switches on the same state directory. */
class MaintenanceCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PortcullisCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state-dir";
        all[args.length + 1] = dir.resolve("state").toString();
        return new Outcome(cl.execute(all), out.toString(), err.toString());
    }

    private DirectoryMaintenanceStore store() {
        return new DirectoryMaintenanceStore(StateDirectory.open(dir.resolve("state")));
    }

    @Test
    void onWaitReturnsOnlyOnceTheGateHasNoWriteInFlight() throws Exception {
        try (MaintenanceSwitch gate = MaintenanceSwitch.start(store(), Duration.ofMinutes(5))) {
            assertTrue(gate.admit(null)); // a push in flight
            Outcome busy = run("maintenance", "on", "--wait", "--timeout", "2s");
            assertEquals(1, busy.exitCode(), busy.stdout());
            assertTrue(busy.stderr().contains("still not quiet after 2 s") && busy.stderr().contains("1 write pending")
                    && busy.stderr().contains("Do not collect garbage now"), busy.stderr());
            assertTrue(busy.stdout().contains("Waiting for 1 gate"), busy.stdout());
            assertTrue(gate.isOn(), "maintenance stays on after the timeout");

            gate.done();
            Outcome quiet = run("maintenance", "on", "--wait", "--timeout", "5s");
            assertEquals(0, quiet.exitCode(), quiet.stderr());
            assertTrue(quiet.stdout().contains("Quiet: 1 gate lets no write through"), quiet.stdout());

            Outcome status = run("maintenance", "status");
            assertTrue(status.stdout().startsWith("Maintenance mode on since "), status.stdout());
            assertTrue(status.stdout().contains("applies the current mode, 0 writes pending"), status.stdout());

            assertEquals(0, run("maintenance", "off").exitCode());
            assertFalse(store().mode().on());
        }
    }

    @Test
    void aGateThatStoppedReportingIsNotWaitedFor() throws Exception {
        store().report(new GateReport("dead-gate", 0, 3, Instant.now().minusSeconds(60)));
        Outcome o = run("maintenance", "on", "--wait", "--timeout", "5s");
        assertEquals(0, o.exitCode(), o.stderr());
        assertTrue(o.stdout().contains("No running gate reports"), o.stdout());
        Outcome status = run("maintenance", "status");
        assertTrue(status.stdout().contains("dead-gate: no report for 60 s (stopped or hung; not waited for)"), status.stdout());
    }

    @Test
    void aHandEditedModeFileIsAOneLineError() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state").resolve("maintenance"), "yes\n");
        Outcome o = run("maintenance", "status");
        assertEquals(1, o.exitCode());
        assertTrue(o.stderr().startsWith("portcullis: error: ") && o.stderr().contains("remove it"), o.stderr());
        assertEquals(1, o.stderr().strip().lines().count(), o.stderr());
    }
}
