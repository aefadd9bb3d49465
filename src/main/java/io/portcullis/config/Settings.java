package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything {@code serve} needs, validated once at start and grouped by concern; immutable after that.
 * {@link SettingsLoader} builds each group from the {@link Setting}s of the same name.
 */
public record Settings(Listen listen, Upstream upstream, TlsFiles tls, Auth auth, Connections connections,
                       Threads threads, Logging logging, boolean ui, AuditSettings audit,
                       Path stateDir, MaintenanceSettings maintenance, CorsSettings cors, Tokens tokens,
                       SharedSettings shared, Optional<DirectorySettings> directory, Optional<SsoSettings> sso,
                       Duration signInWindow) {

    /** Token lifetimes: the default, and the maximum (empty: tokens may be made to never expire). */
    public record Tokens(Duration lifetime, Optional<Duration> maxLifetime) {
    }

    /** Where the gate listens, and what it tells browsers about itself. */
    public record Listen(HostPort https, Optional<HostPort> http, Optional<HostPort> admin, Optional<String> serverName,
                         Optional<Duration> hstsMaxAge) {
    }

    /** The registry behind the gate and the connections to it. */
    public record Upstream(URI url, int connections, int queue, Duration connectTimeout, Duration idleTimeout) {
    }

    /** The server certificate and key, and the CA client certificates must chain to (mutual TLS). */
    public record TlsFiles(Path cert, Path key, Optional<Path> keyPasswordFile, Optional<Path> clientCa, TlsEngine engine) {
    }

    /** What serves TLS ({@code tls-engine}): the native BoringSSL engine, the JDK's JSSE, or BoringSSL when it loads. */
    public enum TlsEngine {
        AUTO, BORINGSSL, JSSE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who may log in, what they may do, and how failed logins are slowed down. */
    public record Auth(Path htpasswd, Optional<Path> access, String realm, Duration cacheTtl, long cacheSize,
                       Throttle throttle) {
    }

    /** Failed-login throttling and the bound on password checks waiting for a worker. */
    public record Throttle(int failures, int userFailures, Duration window, long maxTracked, int pendingPerAddress,
                           int pendingTotal) {
    }

    /** Client connections: how many, and how long each phase may take. */
    public record Connections(int max, int maxPerAddress, Duration tlsHandshakeTimeout, Duration headerTimeout,
                              Duration keepaliveTimeout, Duration readTimeout, Duration writeTimeout,
                              Duration drainTimeout) {
    }

    /** Undertow's IO and worker threads; 0 means sized from the CPUs. */
    public record Threads(int io, int worker) {
        public int effectiveIo() {
            return io > 0 ? io : Math.max(2, Runtime.getRuntime().availableProcessors());
        }

        public int effectiveWorker() {
            return worker > 0 ? worker : effectiveIo() * 8;
        }
    }

    /** The log level and the access log's line format. */
    public record Logging(LogLevel level, LogFormat format) {
    }

    public enum LogLevel {
        TRACE, DEBUG, INFO, WARN, ERROR;

        /** As written in settings and read by logback: lower case. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** At these levels the operator asked for problems only, so the per-request access lines stay off. */
        public boolean problemsOnly() {
            return this == WARN || this == ERROR;
        }
    }

    public enum LogFormat {
        COMBINED, JSON;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
