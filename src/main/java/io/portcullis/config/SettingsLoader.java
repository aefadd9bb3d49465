package io.portcullis.config;

import io.portcullis.base.HostText;
import io.portcullis.base.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import io.portcullis.config.ResolvedValues.Sourced;

/**
 * Fills {@link Settings} from its sources in one precedence order, highest first:
 * command-line flag, environment variable, config file, built-in default.
 * Every value is validated here, so a mistake is reported before anything starts, naming where it came from.
 * This class is the precedence and the shape of {@link Settings}; {@link ResolvedValues} reads one value with its
 * source, {@link ValueParsers} says how each kind of value is written.
 */
public final class SettingsLoader {
    /** The config file is itself chosen by flag, then environment, then {@code proxy.conf} when present. */
    public static final String CONFIG_KEY = "config";
    public static final String CONFIG_ENV = "PORTCULLIS_CONFIG";
    public static final Path DEFAULT_CONFIG = Path.of("proxy.conf");

    private final Map<String, String> flags;
    private final Map<String, String> environment;
    private final Path workingDirectory;

    /**
     * @param flags            values given on the command line, keyed by setting key (and {@code config})
     * @param environment      the process environment
     * @param workingDirectory where relative paths and the default {@code proxy.conf} are resolved
     */
    public SettingsLoader(Map<String, String> flags, Map<String, String> environment, Path workingDirectory) {
        this.flags = Map.copyOf(flags);
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    public Settings load() {
        Map<String, String> file = Map.of();
        String fileName = "";
        Optional<Path> configFile = configFile();
        if (configFile.isPresent()) {
            file = ConfigFile.read(configFile.get());
            fileName = configFile.get().toString();
        }
        Map<Setting, Sourced> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            values.put(setting, resolve(setting, file, fileName));
        }
        return build(new ResolvedValues(values, workingDirectory));
    }

    /** Which config file is read, if any. */
    public Optional<Path> configFile() {
        String explicit = flags.get(CONFIG_KEY);
        String source = "--config";
        if (explicit == null) {
            explicit = environment.get(CONFIG_ENV);
            source = CONFIG_ENV;
        }
        if (explicit != null) {
            Path path = workingDirectory.resolve(explicit);
            if (!Files.isRegularFile(path)) {
                throw new UserError("config file " + explicit + " (from " + source + ") does not exist or is not a file");
            }
            return Optional.of(path);
        }
        Path implicit = workingDirectory.resolve(DEFAULT_CONFIG);
        return Files.isRegularFile(implicit) ? Optional.of(implicit) : Optional.empty();
    }

    private Sourced resolve(Setting setting, Map<String, String> file, String fileName) {
        String flag = flags.get(setting.key());
        if (flag != null) {
            return new Sourced(flag, setting.flag());
        }
        String env = environment.get(setting.environmentVariable());
        if (env != null) {
            return new Sourced(env, "environment " + setting.environmentVariable());
        }
        Optional<Sourced> legacy = legacyEnvironment(setting);
        if (legacy.isPresent()) {
            return legacy.get();
        }
        String fromFile = file.get(setting.key());
        if (fromFile != null) {
            return new Sourced(fromFile, fileName + " key " + setting.key());
        }
        return new Sourced(setting.defaultValue(), "default");
    }

    /** Names users of the containersol nginx image already set; below our own variables, above the file. */
    private Optional<Sourced> legacyEnvironment(Setting setting) {
        if (setting == Setting.UPSTREAM && (environment.containsKey("REGISTRY_HOST") || environment.containsKey("REGISTRY_PORT"))) {
            String host = environment.getOrDefault("REGISTRY_HOST", "127.0.0.1");
            String port = environment.getOrDefault("REGISTRY_PORT", "5000");
            return Optional.of(new Sourced("http://" + HostText.withPort(host, port), "environment REGISTRY_HOST/REGISTRY_PORT"));
        }
        if (setting == Setting.SERVER_NAME && environment.containsKey("SERVER_NAME")) {
            return Optional.of(new Sourced(environment.get("SERVER_NAME"), "environment SERVER_NAME"));
        }
        return Optional.empty();
    }

    private static Settings build(ResolvedValues v) {
        return new Settings(
                new Settings.Listen(v.parse(Setting.LISTEN, HostPort::parse), v.optionalHostPort(Setting.HTTP_LISTEN),
                        v.optionalHostPort(Setting.ADMIN_LISTEN), v.optional(Setting.SERVER_NAME),
                        v.parse(Setting.HSTS_MAX_AGE, ValueParsers::hstsMaxAge)),
                new Settings.Upstream(v.parse(Setting.UPSTREAM, ValueParsers::upstream),
                        v.integer(Setting.UPSTREAM_CONNECTIONS, 1, 10_000), v.integer(Setting.UPSTREAM_QUEUE, 0, 1_000_000),
                        v.duration(Setting.CONNECT_TIMEOUT), v.duration(Setting.UPSTREAM_IDLE_TIMEOUT)),
                new Settings.TlsFiles(v.path(Setting.CERT), v.path(Setting.KEY), v.optionalPath(Setting.KEY_PASSWORD_FILE),
                        v.optionalPath(Setting.CLIENT_CA),
                        v.parse(Setting.TLS_ENGINE, t -> ValueParsers.named(Settings.TlsEngine.class, t, "auto, boringssl or jsse"))),
                new Settings.Auth(v.path(Setting.HTPASSWD), v.optionalPath(Setting.ACCESS),
                        v.parse(Setting.REALM, ValueParsers::realm), v.duration(Setting.AUTH_CACHE_TTL),
                        v.integer(Setting.AUTH_CACHE_SIZE, 0, 10_000_000),
                        new Settings.Throttle(v.integer(Setting.THROTTLE_FAILURES, 0, 1_000_000),
                                v.integer(Setting.THROTTLE_USER_FAILURES, 0, 1_000_000), v.duration(Setting.THROTTLE_WINDOW),
                                v.integer(Setting.THROTTLE_MAX_TRACKED, 1, 10_000_000),
                                v.integer(Setting.AUTH_PENDING_PER_ADDRESS, 1, 100_000),
                                v.integer(Setting.AUTH_PENDING_TOTAL, 1, 1_000_000))),
                new Settings.Connections(v.integer(Setting.MAX_CONNECTIONS, 1, 1_000_000),
                        v.integer(Setting.MAX_CONNECTIONS_PER_ADDRESS, 1, 1_000_000), v.duration(Setting.TLS_HANDSHAKE_TIMEOUT),
                        v.duration(Setting.HEADER_TIMEOUT), v.duration(Setting.KEEPALIVE_TIMEOUT),
                        v.duration(Setting.READ_TIMEOUT), v.duration(Setting.WRITE_TIMEOUT), v.duration(Setting.DRAIN_TIMEOUT)),
                new Settings.Threads(v.integer(Setting.IO_THREADS, 0, 1024), v.integer(Setting.WORKER_THREADS, 0, 4096)),
                new Settings.Logging(v.parse(Setting.LOG_LEVEL, t -> ValueParsers.named(Settings.LogLevel.class, t, "trace, debug, info, warn, error")),
                        v.parse(Setting.LOG_FORMAT, t -> ValueParsers.named(Settings.LogFormat.class, t, "combined or json"))),
                v.parse(Setting.UI, ValueParsers::onOff),
                new AuditSettings(v.optionalPath(Setting.AUDIT_LOG), v.parse(Setting.AUDIT_WEBHOOK, AuditSettings::webhooks),
                        v.optionalPath(Setting.AUDIT_WEBHOOK_SECRET_FILE), v.parse(Setting.AUDIT_ACTIONS, AuditSettings::actions),
                        v.integer(Setting.AUDIT_QUEUE, 1, 10_000_000)),
                v.path(Setting.STATE_DIR),
                new MaintenanceSettings(v.duration(Setting.MAINTENANCE_GRACE)),
                v.parse(Setting.CORS_ORIGIN, CorsSettings::parse),
                TokenLifetimes.of(v.parse(Setting.TOKEN_LIFETIME, TokenLifetimes::lifetime),
                        v.parse(Setting.TOKEN_MAX_LIFETIME, TokenLifetimes::maximum)),
                new SharedSettings(v.parse(Setting.REDIS, SharedSettings::redisUrl), v.optionalPath(Setting.REDIS_PASSWORD_FILE),
                        v.optionalPath(Setting.REDIS_CA), v.parse(Setting.PROXY_PROTOCOL_FROM, SharedSettings::cidrs)),
                IdentitySettings.directory(v), IdentitySettings.sso(v), v.duration(Setting.SIGN_IN_WINDOW));
    }
}
