package io.portcullis;

import io.portcullis.cli.PortcullisCommand;

/** Process entry point: routes library logging to slf4j before any Undertow class loads, then runs the CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // jboss-logging (Undertow, XNIO) only picks slf4j by itself when logback is present.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        return PortcullisCommand.commandLine().execute(args);
    }
}
