package io.portcullis.cli;

import picocli.CommandLine.Command;

@Command(name = "gen-cert", mixinStandardHelpOptions = true, description = "TODO")
public final class GenCertCommand implements Runnable {
    @Override
    public void run() {
    }
}
