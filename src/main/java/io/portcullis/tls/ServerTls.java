package io.portcullis.tls;

import io.netty.handler.ssl.SslContext;
import io.portcullis.base.UserError;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * The server side of TLS: an {@link SSLContext} whose key material can be swapped, plus the protocol and
 * cipher policy (TLS 1.2+, forward-secret AEAD suites only). The policy is not part of the context itself:
 * every listener must apply {@link #PROTOCOLS} and {@link #cipherSuites(SSLContext)}, or use
 * {@link #parameters()}.
 *
 * <p>Two engines serve the same policy ({@link TlsEngineChoice}): BoringSSL, whose context is rebuilt per
 * certificate generation ({@link BoringSslContext}), and JSSE, whose key manager is swapped. Either way
 * {@link SwappableKeyManager} stays the owner of the current certificate that readiness and metrics read.
 */
public final class ServerTls {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    // TLS 1.3 names must stay in the list: leaving them out silently disables TLS 1.3.
    // TLS 1.2 order follows Mozilla's "intermediate" profile.
    static final List<String> PREFERRED_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SwappableKeyManager keyManager;
    private final SSLContext context;
    private final TlsEngineInUse engine;
    private final X509TrustManager clientTrust;

    private ServerTls(SwappableKeyManager keyManager, SSLContext context, TlsEngineInUse engine,
                      X509TrustManager clientTrust) {
        this.keyManager = keyManager;
        this.context = context;
        this.engine = engine;
        this.clientTrust = clientTrust;
    }

    public static ServerTls create(TlsMaterial material) {
        return create(material, null);
    }

    public static ServerTls create(TlsMaterial material, X509TrustManager clientTrust) {
        return create(material, clientTrust, TlsEngineChoice.AUTO);
    }

    /**
     * @param clientTrust verifies client certificates ({@code --client-ca}); null when clients are not asked for one.
     *                    The listener must also require them ({@code SSL_CLIENT_AUTH_MODE REQUIRED}).
     * @throws UserError  when BoringSSL was asked for by name and cannot load here
     */
    public static ServerTls create(TlsMaterial material, X509TrustManager clientTrust, TlsEngineChoice choice) {
        return create(material, clientTrust, choice, BoringSsl::probe);
    }

    /** {@code library} loads BoringSSL; tests pass one that fails, to see the fall-back and the start-up error. */
    static ServerTls create(TlsMaterial material, X509TrustManager clientTrust, TlsEngineChoice choice,
                            Supplier<BoringSsl.Library> library) {
        SwappableKeyManager keyManager = new SwappableKeyManager(material);
        String fallbackReason = "";
        if (choice != TlsEngineChoice.JSSE) {
            BoringSsl.Library loaded = library.get();
            if (loaded.loaded()) {
                SSLContext context = BoringSslContext.of(boringSsl(material, clientTrust));
                return new ServerTls(keyManager, context, TlsEngineInUse.boringSsl(loaded.version()), clientTrust);
            }
            if (choice == TlsEngineChoice.BORINGSSL) {
                throw new UserError("--tls-engine boringssl: the BoringSSL library cannot be loaded here ("
                        + loaded.problem() + "); it is built for linux-x86_64 with glibc. Use --tls-engine auto or jsse"
                        + " to serve TLS with the JDK instead");
            }
            fallbackReason = loaded.problem();
        }
        return new ServerTls(keyManager, jsse(keyManager, clientTrust), TlsEngineInUse.jsse(fallbackReason), clientTrust);
    }

    private static SslContext boringSsl(TlsMaterial material, X509TrustManager clientTrust) {
        try {
            return BoringSsl.context(material, clientTrust);
        } catch (SSLException e) {
            throw new IllegalStateException("BoringSSL refused the certificate and key: " + BoringSsl.rootMessage(e), e);
        }
    }

    private static SSLContext jsse(SwappableKeyManager keyManager, X509TrustManager clientTrust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // Without --client-ca no trust managers at all: clients are not asked for certificates, and null
            // would load and parse the JDK's cacerts (~140 certificates) at start-up for nothing.
            TrustManager[] trust = clientTrust == null ? new TrustManager[0] : new TrustManager[] {clientTrust};
            context.init(new KeyManager[] {keyManager}, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context", e);
        }
    }

    public SSLContext context() {
        return context;
    }

    /** New handshakes present {@code material}; established connections keep theirs. */
    public void swap(TlsMaterial material) {
        if (context instanceof BoringSslContext boring) {
            // built first: if BoringSSL refuses the pair, the old one stays in service for both engines' views
            boring.swap(boringSsl(material, clientTrust));
        }
        keyManager.swap(material);
    }

    /** Which engine serves TLS, with its library version (and, for JSSE by fall-back, why). */
    public TlsEngineInUse engine() {
        return engine;
    }

    /**
     * BoringSSL engines holding native memory now (0 with JSSE, whose engines are plain heap objects): one per
     * client connection, including connections still in or refused at their handshake. It must fall back with the
     * connections, whatever way they end; /metrics shows it beside portcullis_connections_open.
     */
    public long nativeEnginesOpen() {
        return context instanceof BoringSslContext boring ? boring.enginesOpen() : 0;
    }

    /** The leaf certificate new handshakes present: after a {@link #swap}, the new one. */
    public X509Certificate leaf() {
        return keyManager.leaf();
    }

    public SwappableKeyManager keyManager() {
        return keyManager;
    }

    /** The AEAD suites this context supports, TLS 1.3 first, in preference order. */
    public static String[] cipherSuites(SSLContext ctx) {
        Set<String> supported = Set.of(ctx.getSupportedSSLParameters().getCipherSuites());
        return PREFERRED_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    public static String[] protocols() {
        return PROTOCOLS.toArray(new String[0]);
    }

    /** Protocols, suites and server-chosen suite order, for listeners configured through SSLParameters. */
    public SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters(cipherSuites(context), protocols());
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /** Applies the policy to a listening socket (plain-socket servers and tests; JSSE only: BoringSSL has none). */
    public void configure(SSLServerSocket socket) {
        socket.setEnabledProtocols(protocols());
        socket.setEnabledCipherSuites(cipherSuites(context));
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        socket.setSSLParameters(parameters);
    }
}
