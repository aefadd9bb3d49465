package io.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command: only a parent for the subcommands. */
@Command(name = "portcullis",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "TLS and htpasswd gate in front of a Docker/OCI registry.",
        subcommands = {ServeCommand.class, GenCertCommand.class, HtpasswdCommand.class, HealthCommand.class, TokenCommand.class})
public final class PortcullisCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: serve, gen-cert, htpasswd, health or token");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PortcullisCommand());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        ServeCommand.addSettingOptions(cl.getSubcommands().get("serve").getCommandSpec());
        TokenCommand.addSettingOptions(cl.getSubcommands().get("token"));
        return cl;
    }
}
