package io.portcullis.cli;

import picocli.CommandLine.Command;

@Command(name = "htpasswd", mixinStandardHelpOptions = true, description = "TODO")
public final class HtpasswdCommand implements Runnable {
    @Override
    public void run() {
    }
}
