package io.portcullis.tls;

import java.util.Locale;

/** Key algorithms the certificate generator offers. */
public enum KeyType {
    /** NIST P-256: small, fast, accepted by every Docker client. */
    EC,
    RSA;

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
