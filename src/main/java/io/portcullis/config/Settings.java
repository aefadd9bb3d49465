package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything {@code serve} needs, validated once at start; immutable after that. */
public record Settings(
        HostPort listen,
        Optional<HostPort> adminListen,
        URI upstream,
        Path cert,
        Path key,
        Optional<Path> keyPasswordFile,
        Path htpasswd,
        Optional<Path> access,
        String realm,
        Optional<String> serverName,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration drainTimeout,
        int upstreamConnections,
        int upstreamQueue,
        Duration authCacheTtl,
        long authCacheSize,
        int throttleFailures,
        int throttleUserFailures,
        Duration throttleWindow,
        long throttleMaxTracked,
        int ioThreads,
        int workerThreads,
        String logLevel,
        String logFormat,
        Optional<HostPort> httpListen,
        Optional<Path> clientCa,
        Optional<Duration> hstsMaxAge,
        boolean ui,
        Duration tlsHandshakeTimeout,
        Duration headerTimeout,
        Duration keepaliveTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        Duration upstreamIdleTimeout,
        int authPendingPerAddress,
        int authPendingTotal,
        AuditSettings audit) {

    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public int effectiveWorkerThreads() {
        return workerThreads > 0 ? workerThreads : effectiveIoThreads() * 8;
    }
}
