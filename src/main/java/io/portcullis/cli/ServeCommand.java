package io.portcullis.cli;

import io.portcullis.access.AccessPolicy;
import io.portcullis.app.Portcullis;
import io.portcullis.config.Setting;
import io.portcullis.config.Settings;
import io.portcullis.config.SettingsLoader;
import io.portcullis.observe.Logging;
import io.portcullis.server.Gate;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code portcullis serve}: load and check everything, then run the gate until the process is stopped.
 * Its options are generated from {@link Setting}, so flags, config keys and environment names cannot drift.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the gate: HTTPS with basic auth in front of the registry.",
                "Each option can also be set in the config file (same name, without '--') or the environment "
                        + "(PORTCULLIS_<NAME>); a flag beats the environment, which beats the file, which beats the default."})
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    /** Adds one option per {@link Setting}, plus {@code --config}; called once when the command line is built. */
    static void addSettingOptions(CommandSpec serve) {
        addSettingOptions(serve, setting -> true);
    }

    /**
     * The same options on another command that reads the settings ({@code token …}), so it acts on the state of a gate
     * started with the same flags, environment and file; those not {@code shown} are accepted but left out of its help.
     */
    static void addSettingOptions(CommandSpec serve, java.util.function.Predicate<Setting> shown) {
        serve.addOption(OptionSpec.builder("--" + SettingsLoader.CONFIG_KEY)
                .paramLabel("FILE").type(String.class)
                .description("Config file of 'key = value' lines (default: proxy.conf when present). Env: "
                        + SettingsLoader.CONFIG_ENV + ".")
                .build());
        for (Setting setting : Setting.values()) {
            String defaultText = setting.defaultValue().isEmpty() ? "not set" : setting.defaultValue();
            serve.addOption(OptionSpec.builder(setting.flag())
                    .paramLabel(setting.valueLabel()).type(setting.repeatable() ? String[].class : String.class)
                    .arity("1")
                    .description(setting.description() + " Default: " + defaultText + ". Env: "
                            + setting.environmentVariable() + ".")
                    .hidden(!shown.test(setting))
                    .build());
        }
    }

    @Override
    public Integer call() throws Exception {
        Gate.prepareInBackground();
        Settings settings = new SettingsLoader(givenFlags(spec.commandLine().getParseResult()), System.getenv(), Path.of("").toAbsolutePath()).load();
        Logging.configure(settings.logging().level().key());
        Logger log = LoggerFactory.getLogger(ServeCommand.class);

        Portcullis portcullis = Portcullis.start(settings);
        Gate gate = portcullis.gate();
        AccessPolicy access = portcullis.access();
        StartupSummary.log(log, settings, gate.address(), gate.adminAddress(), portcullis.tls().leaf(),
                portcullis.authenticator().users(), portcullis.tls().engine());
        gate.httpAddress().ifPresent(http -> log.info("Plain HTTP on {}:{} only redirects to HTTPS", http.getAddress().getHostAddress(), http.getPort()));
        access.file().ifPresentOrElse(
                f -> log.info("Access rules from {}: {} rules, {} groups", f, access.rules().ruleCount(), access.rules().groupCount()),
                () -> log.info("No access rules (--access): every valid user may pull, push and delete every repository"));
        if (settings.cors().enabled()) {
            log.info("CORS: web UIs may call the API from {}", String.join(", ", new java.util.TreeSet<>(settings.cors().origins())));
        }
        java.time.Instant now = java.time.Instant.now();
        try {
            log.info("Tokens in {}: {} active (portcullis token create|list|revoke|rotate)", portcullis.tokensWhere(),
                    portcullis.tokenStore().list().stream().filter(t -> t.status(now) == io.portcullis.token.Token.Status.ACTIVE).count());
        } catch (io.portcullis.base.UserError unreadable) {
            // Redis down at start: the gate serves anyway (docs/several-gates.md), the count waits for another day
            log.warn("Tokens in {}: not readable now ({})", portcullis.tokensWhere(), unreadable.getMessage());
        }
        // after the gate is up: a reload before that would have nothing to swap into
        portcullis.reloadOnChange();

        CountDownLatch stopped = new CountDownLatch(1);
        StopSignals.onFirstStop(() -> {
            try {
                if (portcullis.drain(settings.connections().drainTimeout())) {
                    log.info("Stopped: every request in flight finished");
                } else {
                    log.warn("Stopped: requests still in flight after {} were cut off", settings.connections().drainTimeout());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        });
        stopped.await();
        return 0;
    }

    /** The flags given to {@code serve}, by setting key. */
    static Map<String, String> givenFlags(CommandLine.ParseResult serve) {
        Map<String, String> given = new HashMap<>();
        for (OptionSpec option : serve.matchedOptions()) {
            String name = option.longestName();
            if (name.startsWith("--") && option.getValue() != null && !option.usageHelp() && !option.versionHelp()) {
                Object value = option.getValue();
                // a repeatable setting's values joined with the separator its single value already takes
                given.put(name.substring(2), value instanceof String[] values ? String.join(",", values) : value.toString());
            }
        }
        return given;
    }
}
