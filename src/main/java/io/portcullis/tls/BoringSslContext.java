package io.portcullis.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The BoringSSL engine behind the {@link SSLContext} interface Undertow takes: each {@code createSSLEngine} gives
 * an engine of the newest native context ({@link #swap} installs the next certificate generation; connections
 * already open keep theirs, and an old context is freed when its last engine is). Engines only: BoringSSL has no
 * socket factories.
 */
final class BoringSslContext extends SSLContext {
    private static final Provider PROVIDER = new Provider("Portcullis-BoringSSL", "1", "netty-tcnative BoringSSL") {
        private static final long serialVersionUID = 1L;
    };

    private final Spi spi;

    private BoringSslContext(Spi spi) {
        super(spi, PROVIDER, "TLS");
        this.spi = spi;
    }

    static BoringSslContext of(SslContext first) {
        return new BoringSslContext(new Spi(first));
    }

    /** Engines created and not yet released: each holds a native SSL object (tens of KiB outside the heap). */
    long enginesOpen() {
        return spi.open.get();
    }

    void swap(SslContext next) {
        SslContext old = spi.current;
        spi.current = next;
        ReferenceCountUtil.release(old);
    }

    private static final class Spi extends SSLContextSpi {
        // Undertow hands the engine direct buffers (USE_DIRECT_BUFFERS); netty allocates only for heap ones, so
        // unpooled: no pooled arenas sitting in memory for a path the gate does not take
        private static final ByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(true);

        volatile SslContext current;
        final AtomicLong open = new AtomicLong();

        Spi(SslContext current) {
            this.current = current;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException("the BoringSSL context is built from the certificate, not initialised");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return engine(current.newEngine(ALLOCATOR));
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return engine(current.newEngine(ALLOCATOR, host, port));
        }

        private SSLEngine engine(SSLEngine nativeEngine) {
            // the gate's suite order wins (AES-128-GCM first), as with JSSE (SSL_OP_CIPHER_SERVER_PREFERENCE)
            SSLParameters parameters = nativeEngine.getSSLParameters();
            parameters.setUseCipherSuitesOrder(true);
            nativeEngine.setSSLParameters(parameters);
            open.incrementAndGet();
            return new AlertFlushingEngine(nativeEngine, () -> {
                open.decrementAndGet();
                ReferenceCountUtil.release(nativeEngine);
            });
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("BoringSSL serves engines only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("BoringSSL serves engines only");
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current.sessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null;
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return parameters(false);
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return parameters(true);
        }

        private SSLParameters parameters(boolean supported) {
            SSLEngine sample = current.newEngine(ALLOCATOR);
            try {
                return new SSLParameters(supported ? sample.getSupportedCipherSuites() : sample.getEnabledCipherSuites(),
                        supported ? sample.getSupportedProtocols() : sample.getEnabledProtocols());
            } finally {
                ReferenceCountUtil.release(sample);
            }
        }
    }
}
