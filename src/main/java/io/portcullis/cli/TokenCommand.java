package io.portcullis.cli;

import io.portcullis.config.Setting;
import io.portcullis.config.Settings;
import io.portcullis.config.SettingsLoader;
import io.portcullis.state.StateDirectory;
import io.portcullis.token.FileTokenStore;
import io.portcullis.token.TokenStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code portcullis token create|list|revoke|rotate}: the token lifecycle. Every subcommand reads the settings as
 * {@code serve} does (flags, {@code PORTCULLIS_*}, the config file), so beside a gate with the same configuration it
 * acts on that gate's store; the gate sees the change within a second.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Create, list, revoke and rotate tokens: passwords for robots (robot+NAME) and users, scoped and expiring.",
                "Each subcommand reads the same settings as serve (flags, PORTCULLIS_* environment, config file) to find the store."},
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class, TokenRotateCommand.class})
public final class TokenCommand implements Runnable {
    /** The settings a token command uses; the others are accepted (a shared config file) but not in the help. */
    private static final Set<Setting> SHOWN = Set.of(Setting.STATE_DIR, Setting.HTPASSWD, Setting.ACCESS,
            Setting.TOKEN_LIFETIME, Setting.TOKEN_MAX_LIFETIME, Setting.SIGN_IN_WINDOW);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, list, revoke or rotate");
    }

    static void addSettingOptions(CommandLine token) {
        for (CommandLine sub : token.getSubcommands().values()) {
            ServeCommand.addSettingOptions(sub.getCommandSpec(), SHOWN::contains);
        }
    }

    /** The settings as {@code serve} would load them with this command's flags. */
    static Settings settings(CommandLine.Model.CommandSpec spec) {
        return new SettingsLoader(ServeCommand.givenFlags(spec.commandLine().getParseResult()), System.getenv(),
                Path.of("").toAbsolutePath()).load();
    }

    /** The store the gates use: the shared Redis when {@code redis} is set (a connection of its own), else the file. */
    static TokenStore store(Settings settings) {
        java.util.Optional<io.portcullis.shared.RedisStore> redis = io.portcullis.shared.RedisStore.connect(settings.shared());
        if (redis.isPresent()) {
            return io.portcullis.token.RedisTokenStore.open(redis.get(), Clock.systemUTC(), true);
        }
        return FileTokenStore.open(StateDirectory.open(settings.stateDir()), Clock.systemUTC());
    }
}
