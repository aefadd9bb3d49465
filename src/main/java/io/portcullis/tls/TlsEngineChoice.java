package io.portcullis.tls;

/**
 * Which implementation serves the gate's TLS: {@link #BORINGSSL} (netty's SSLEngine over a statically linked
 * BoringSSL) or the JDK's {@link #JSSE}; {@link #AUTO} takes BoringSSL when its native library loads and JSSE
 * otherwise. Config's {@code tls-engine} setting names the same three.
 */
public enum TlsEngineChoice {
    AUTO, BORINGSSL, JSSE
}
