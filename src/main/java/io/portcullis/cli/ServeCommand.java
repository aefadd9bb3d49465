package io.portcullis.cli;

import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "TODO")
public final class ServeCommand implements Runnable {
    @Override
    public void run() {
    }
}
