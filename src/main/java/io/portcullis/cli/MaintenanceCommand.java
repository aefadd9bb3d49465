package io.portcullis.cli;

import io.portcullis.config.Setting;
import io.portcullis.config.SettingsLoader;
import io.portcullis.maintenance.MaintenanceControl;
import io.portcullis.maintenance.MaintenanceMode;
import io.portcullis.maintenance.MaintenanceStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code portcullis maintenance on [--wait] | off | status}: the switch that makes every gate using the same state
 * refuse writes while pulls go on, for the registry's garbage collector. It finds the state the way {@code serve}
 * does (flag, environment, config file, default).
 */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = {"Switch maintenance mode for garbage collection: while on, every gate using the same state refuses "
                + "pushes and deletes (pulls work) within a second, without a restart.",
                "Safe GC: portcullis maintenance on --wait && docker-registry garbage-collect CONFIG && portcullis maintenance off"},
        subcommands = {MaintenanceCommand.On.class, MaintenanceCommand.Off.class, MaintenanceCommand.Status.class})
public final class MaintenanceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: on, off or status");
    }

    /** Where the state is: the same settings as serve reads. */
    static final class StateOptions {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec command;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The gate's config file (default: proxy.conf when present). Env: " + SettingsLoader.CONFIG_ENV + ".")
        String config;

        @Option(names = "--state-dir", paramLabel = "DIR", description = "The gate's state directory (default: as serve, "
                + "from the environment, the config file or 'state').")
        String stateDir;

        PrintWriter out() {
            return command.commandLine().getOut();
        }

        MaintenanceControl control() {
            Map<String, String> flags = new HashMap<>();
            if (config != null) {
                flags.put(SettingsLoader.CONFIG_KEY, config);
            }
            if (stateDir != null) {
                flags.put(Setting.STATE_DIR.key(), stateDir);
            }
            var settings = new SettingsLoader(flags, System.getenv(), Path.of("").toAbsolutePath()).load();
            return new MaintenanceControl(MaintenanceStores.open(settings), Clock.systemUTC());
        }
    }

    @Command(name = "on", mixinStandardHelpOptions = true,
            description = "Turn maintenance on: writes are refused from now on; uploads already running may finish within "
                    + "maintenance-grace. With --wait, return only when no gate lets a write through any more.")
    static final class On implements Callable<Integer> {
        @Mixin
        StateOptions state;

        @Option(names = "--wait", description = "Wait until every running gate has applied the switch and has no write in flight.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
                description = "Longest wait with --wait; maintenance stays on when it runs out. Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Override
        public Integer call() throws InterruptedException {
            MaintenanceControl control = state.control();
            MaintenanceMode mode = control.on();
            PrintWriter out = state.out();
            out.println("Maintenance mode on since " + mode.since().map(Instant::toString).orElse("?")
                    + ": gates refuse writes within a second; pulls work.");
            out.flush();
            if (!await) {
                return 0;
            }
            MaintenanceControl.Quiet quiet = control.awaitQuiet(mode, timeout, busy -> {
                out.println("Waiting for " + busy.size() + (busy.size() == 1 ? " gate" : " gates") + ":");
                busy.forEach(g -> out.println("  " + g.describe()));
                out.flush();
            });
            if (!quiet.reached()) {
                PrintWriter err = state.command.commandLine().getErr();
                err.println("portcullis: error: still not quiet after " + timeout.toSeconds() + " s: "
                        + String.join("; ", quiet.busy().stream().map(MaintenanceControl.GateState::describe).toList())
                        + ". Maintenance stays on; wait again, or run 'portcullis maintenance off'. Do not collect garbage now.");
                err.flush();
                return 1;
            }
            if (quiet.alive() == 0) {
                out.println("No running gate reports to this state directory: nothing is writing through a gate here "
                        + "(check that every gate runs with the same --state-dir).");
            } else {
                out.println("Quiet: " + quiet.alive() + (quiet.alive() == 1 ? " gate lets" : " gates let")
                        + " no write through. Safe to collect garbage now.");
            }
            return 0;
        }
    }

    @Command(name = "off", mixinStandardHelpOptions = true, description = "Turn maintenance off: writes are accepted again.")
    static final class Off implements Callable<Integer> {
        @Mixin
        StateOptions state;

        @Override
        public Integer call() {
            state.control().off();
            state.out().println("Maintenance mode off: gates accept writes again within a second.");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the mode and what each running gate reports.")
    static final class Status implements Callable<Integer> {
        @Mixin
        StateOptions state;

        @Override
        public Integer call() {
            MaintenanceControl control = state.control();
            MaintenanceMode mode = control.mode();
            PrintWriter out = state.out();
            out.println("Maintenance mode " + (mode.on() ? "on since " + mode.since().map(Instant::toString).orElse("?") : "off"));
            List<MaintenanceControl.GateState> gates = control.gates(mode);
            if (gates.isEmpty()) {
                out.println("No gate reports to this state directory.");
            }
            gates.forEach(g -> out.println("  " + g.describe()));
            return 0;
        }
    }
}
