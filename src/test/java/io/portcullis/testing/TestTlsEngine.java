package io.portcullis.testing;

import io.portcullis.tls.TlsEngineChoice;
import java.util.Locale;

/**
 * The TLS engine the tests run on: the system property {@code portcullis.test.tls-engine} (the pom sets boringssl
 * for the whole suite, and jsse for the second run of the TLS tests), {@code auto} when run from an IDE.
 */
public final class TestTlsEngine {
    public static final String PROPERTY = "portcullis.test.tls-engine";

    private TestTlsEngine() {
    }

    /** As written in a setting or flag: auto, boringssl or jsse. */
    public static String name() {
        return System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    }

    public static TlsEngineChoice choice() {
        return TlsEngineChoice.valueOf(name().toUpperCase(Locale.ROOT));
    }

    /** The engine that must be serving: the one named, or BoringSSL for auto (it loads on the machines we test on). */
    public static String expected() {
        return name().equals("auto") ? "boringssl" : name();
    }
}
