package io.portcullis.tls;

/**
 * The engine that serves TLS, as the start-up line, /metrics and tests name it.
 *
 * @param name           {@code boringssl} or {@code jsse}
 * @param version        the library: BoringSSL's version string, or the Java runtime's for JSSE
 * @param fallbackReason why BoringSSL is not serving when it was wanted ({@code auto}); empty otherwise
 */
public record TlsEngineInUse(String name, String version, String fallbackReason) {
    static TlsEngineInUse boringSsl(String version) {
        return new TlsEngineInUse("boringssl", version + ", netty-tcnative " + nativeVersion(), "");
    }

    static TlsEngineInUse jsse(String fallbackReason) {
        return new TlsEngineInUse("jsse", "Java " + Runtime.version(), fallbackReason);
    }

    public boolean fellBack() {
        return !fallbackReason.isEmpty();
    }

    /** For the start-up line: "BoringSSL (BoringSSL, netty-tcnative 2.0.84.Final)" or "JSSE (Java 17.0.x)". */
    public String describe() {
        return (name.equals("boringssl") ? "BoringSSL" : "JSSE") + " (" + version + ")";
    }

    /** The jar's own record of the native library's version (netty only reports "BoringSSL" at run time). */
    private static String nativeVersion() {
        java.util.Properties pom = new java.util.Properties();
        try (java.io.InputStream in = TlsEngineInUse.class.getResourceAsStream(
                "/META-INF/maven/io.netty/netty-tcnative-boringssl-static/pom.properties")) {
            if (in != null) {
                pom.load(in);
            }
        } catch (java.io.IOException e) {
            return "?";
        }
        return pom.getProperty("version", "?");
    }
}
