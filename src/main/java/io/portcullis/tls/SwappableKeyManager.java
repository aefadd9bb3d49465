package io.portcullis.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's key manager, whose key and certificate can be replaced while the listener runs: new handshakes
 * use the new material, running connections are untouched.
 *
 * <p>The JDK asks for the alias first and for key and chain afterwards, in separate calls. Each material
 * generation therefore gets its own alias, and the previous generation stays resolvable, so a handshake that
 * straddles a swap still gets a key and chain that belong together.
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {
    // The key store lives only in memory; its password protects nothing.
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private static final class Generation {
        final String alias;
        final X509ExtendedKeyManager delegate;

        Generation(String alias, X509ExtendedKeyManager delegate) {
            this.alias = alias;
            this.delegate = delegate;
        }
    }

    private final AtomicLong counter = new AtomicLong();
    private volatile Generation current;
    private volatile Generation previous;

    public SwappableKeyManager(TlsMaterial material) {
        current = build(material);
        previous = current;
    }

    /** Makes new handshakes use {@code material}. Callers validate first: TlsMaterial instances always match. */
    public synchronized void swap(TlsMaterial material) {
        Generation next = build(material);
        previous = current;
        current = next;
    }

    /** The leaf certificate new handshakes present (readiness and the expiry metric read it from here). */
    public X509Certificate leaf() {
        Generation c = current;
        return c.delegate.getCertificateChain(c.alias)[0];
    }

    private Generation build(TlsMaterial material) {
        String alias = "portcullis-" + counter.incrementAndGet();
        try {
            // JKS, not PKCS12: PKCS12 wraps the key with PBKDF2 (10,000 HMAC-SHA256 rounds) on store and again on
            // read, about 0.3 CPU-s at start-up before the JIT has warmed up; this store never leaves memory.
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry(alias, material.privateKey(), STORE_PASSWORD,
                    material.chain().toArray(new X509Certificate[0]));
            // SunX509 rather than PKIX: it serves the configured chain as is, without its own validity preferences.
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(store, STORE_PASSWORD);
            for (KeyManager km : factory.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager) {
                    return new Generation(alias, (X509ExtendedKeyManager) km);
                }
            }
            throw new IllegalStateException("SunX509 returned no X509ExtendedKeyManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store", e);
        }
    }

    private X509ExtendedKeyManager owner(String alias) {
        Generation c = current;
        if (c.alias.equals(alias)) {
            return c.delegate;
        }
        Generation p = previous;
        return p.alias.equals(alias) ? p.delegate : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509ExtendedKeyManager owner = owner(alias);
        return owner == null ? null : owner.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        X509ExtendedKeyManager owner = owner(alias);
        return owner == null ? null : owner.getPrivateKey(alias);
    }

    // The gate never authenticates itself as a client.
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
