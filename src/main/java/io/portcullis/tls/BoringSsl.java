package io.portcullis.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * The BoringSSL engine (netty-tcnative-boringssl-static: BoringSSL linked into a JNI library inside the jar, so
 * no system libssl is needed): whether it loads here, and one native server context per certificate generation.
 */
final class BoringSsl {
    private BoringSsl() {
    }

    /** Whether the native library loaded; {@code version} or {@code problem} says more, for the start-up line. */
    record Library(boolean loaded, String version, String problem) {
        static Library unavailable(String problem) {
            return new Library(false, "", problem);
        }
    }

    /** Loads the library (once per JVM: netty keeps the answer) and says whether TLS 1.3 can be served. */
    static Library probe() {
        try {
            if (!OpenSsl.isAvailable()) {
                Throwable cause = OpenSsl.unavailabilityCause();
                return Library.unavailable(cause == null ? "unknown reason" : rootMessage(cause));
            }
            return new Library(true, OpenSsl.versionString(), "");
        } catch (LinkageError e) { // netty's classes missing or broken: treated like a missing native library
            return Library.unavailable(rootMessage(e));
        }
    }

    /**
     * A server context serving {@code material} with the gate's policy; clients must present a certificate that
     * {@code clientTrust} accepts when it is not null. Renegotiation needs no option: BoringSSL servers never
     * renegotiate (a client's renegotiation request gets a no_renegotiation alert).
     */
    static SslContext context(TlsMaterial material, X509TrustManager clientTrust) throws SSLException {
        SslContextBuilder builder = SslContextBuilder
                .forServer(material.privateKey(), material.chain().toArray(new X509Certificate[0]))
                // OPENSSL, not OPENSSL_REFCNT: the same engine, but with a finalizer that frees the native SSL should
                // a connection end on a path that never closes both directions (BoringSslContext releases it
                // explicitly on the paths SslConduit takes; portcullis_tls_native_engines shows the count)
                .sslProvider(SslProvider.OPENSSL)
                .protocols(ServerTls.PROTOCOLS)
                // Java names, in the gate's order; the engine is told to prefer this order (BoringSslContext)
                .ciphers(ServerTls.PREFERRED_SUITES)
                // client certificates are checked inside the handshake call instead of as a delegated task:
                // one fewer round through Undertow's task executor, and the check is a few signature verifies
                .option(OpenSslContextOption.USE_TASKS, false)
                .clientAuth(clientTrust == null ? ClientAuth.NONE : ClientAuth.REQUIRE);
        Optional.ofNullable(clientTrust).ifPresent(builder::trustManager);
        return builder.build();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
