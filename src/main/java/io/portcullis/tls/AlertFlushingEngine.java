package io.portcullis.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * Netty's BoringSSL engine as Undertow's {@code SslConduit} needs it: a refused handshake must reach the client
 * as an alert (protocol_version for TLS 1.0/1.1, handshake_failure for CBC-only offers, certificate_required or
 * bad_certificate for {@code --client-ca}), as it does with JSSE.
 *
 * <p>Why a wrapper (Undertow 2.3 {@code SslConduit}, netty 4.2 {@code ReferenceCountedOpenSslEngine}): when a
 * handshake fails, netty's {@code unwrap} queues the alert and answers {@code NEED_WRAP}; the next {@code wrap}
 * writes the alert (still {@code NEED_WRAP}) and the one after throws the failure. Undertow's
 * {@code wrapAndFlip} calls {@code wrap} in a loop while it says {@code NEED_WRAP}, so the throw comes before the
 * alert already in its buffer is flushed, and {@code doWrap} closes the socket: the client saw a bare EOF (the
 * issue-11 experiment: GateTlsTest 3 of 4 failed). JSSE instead throws from {@code unwrap} and answers the
 * following {@code wrap} with the alert and {@code CLOSED}, which {@code SslConduit} writes before closing.
 *
 * <p>So here a failure thrown by {@code wrap} is kept and answered as {@code CLOSED}: the loop ends, the alert
 * bytes the previous call produced are written; the next {@code unwrap} then reports the kept failure, and
 * {@code SslConduit} closes the connection the way it does for JSSE.
 *
 * <p>Also: {@code setEnableSessionCreation(true)} (which Undertow always calls) is what netty does anyway but
 * throws on; and the native SSL is released once both directions are closed, since netty's engines hold native
 * memory until {@code release()} (SslConduit closes both directions, and uses the engine no more, when it closes).
 */
final class AlertFlushingEngine extends SSLEngine {
    private final SSLEngine engine;
    private final Runnable release;
    private SSLException failure;
    private boolean failureReported;
    private boolean inboundClosed;
    private boolean outboundClosed;
    private boolean released;

    AlertFlushingEngine(SSLEngine engine, Runnable release) {
        super(engine.getPeerHost(), engine.getPeerPort());
        this.engine = engine;
        this.release = release;
    }

    @Override
    public synchronized SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (failure != null) {
            return closed();
        }
        try {
            return engine.wrap(srcs, offset, length, dst);
        } catch (SSLException e) {
            failure = e;
            return closed();
        }
    }

    @Override
    public synchronized SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (failure != null) {
            if (!failureReported) {
                failureReported = true;
                throw failure;
            }
            return closed();
        }
        return engine.unwrap(src, dsts, offset, length);
    }

    private static SSLEngineResult closed() {
        return new SSLEngineResult(SSLEngineResult.Status.CLOSED, SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }

    @Override
    public synchronized SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return failure != null ? SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING : engine.getHandshakeStatus();
    }

    @Override
    public synchronized void closeInbound() throws SSLException {
        inboundClosed = true;
        try {
            engine.closeInbound();
        } finally {
            releaseWhenDone();
        }
    }

    @Override
    public synchronized void closeOutbound() {
        outboundClosed = true;
        engine.closeOutbound();
        releaseWhenDone();
    }

    /** SslConduit closes both directions when it closes the connection and uses the engine no more after that. */
    private void releaseWhenDone() {
        if (!released && inboundClosed && outboundClosed) {
            released = true;
            release.run();
        }
    }

    @Override
    public synchronized boolean isInboundDone() {
        return failure != null || engine.isInboundDone();
    }

    @Override
    public synchronized boolean isOutboundDone() {
        return failure != null || engine.isOutboundDone();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        if (!flag) {
            engine.setEnableSessionCreation(false);
        }
    }

    @Override
    public Runnable getDelegatedTask() {
        return engine.getDelegatedTask();
    }

    @Override
    public void beginHandshake() throws SSLException {
        engine.beginHandshake();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        engine.setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return engine.getHandshakeApplicationProtocolSelector();
    }
}
