package io.portcullis.tls;

import java.security.cert.X509Certificate;
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

    private ServerTls(SwappableKeyManager keyManager, SSLContext context) {
        this.keyManager = keyManager;
        this.context = context;
    }

    public static ServerTls create(TlsMaterial material) {
        return create(material, null);
    }

    /**
     * @param clientTrust verifies client certificates ({@code --client-ca}); null when clients are not asked for one.
     *                    The listener must also require them ({@code SSL_CLIENT_AUTH_MODE REQUIRED}).
     */
    public static ServerTls create(TlsMaterial material, X509TrustManager clientTrust) {
        SwappableKeyManager keyManager = new SwappableKeyManager(material);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // Without --client-ca no trust managers at all: clients are not asked for certificates, and null
            // would load and parse the JDK's cacerts (~140 certificates) at start-up for nothing.
            TrustManager[] trust = clientTrust == null ? new TrustManager[0] : new TrustManager[] {clientTrust};
            context.init(new KeyManager[] {keyManager}, trust, new SecureRandom());
            return new ServerTls(keyManager, context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context", e);
        }
    }

    public SSLContext context() {
        return context;
    }

    /** New handshakes present {@code material}; established connections keep theirs. */
    public void swap(TlsMaterial material) {
        keyManager.swap(material);
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

    /** Applies the policy to a listening socket (plain-socket servers and tests). */
    public void configure(SSLServerSocket socket) {
        socket.setEnabledProtocols(protocols());
        socket.setEnabledCipherSuites(cipherSuites(context));
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setUseCipherSuitesOrder(true);
        socket.setSSLParameters(parameters);
    }
}
