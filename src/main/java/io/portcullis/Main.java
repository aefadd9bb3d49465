package io.portcullis;

import io.portcullis.cli.PortcullisCommand;

/** Process entry point: routes library logging to slf4j before any Undertow class loads, refuses TLS
 * renegotiation before TLS is first used, then runs the CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // jboss-logging (Undertow, XNIO) only picks slf4j by itself when logback is present.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        // Client-initiated TLS 1.2 renegotiation costs the server a full handshake per request of the client's
        // (a CPU exhaustion tool's favourite) and no registry client uses it. JSSE reads this once, when TLS is
        // first used: it must be set before any SSLContext exists.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        return PortcullisCommand.commandLine().execute(args);
    }
}
