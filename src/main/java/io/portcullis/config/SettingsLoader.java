package io.portcullis.config;

import io.portcullis.base.HostText;
import io.portcullis.base.UserError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@link Settings} from its sources in one precedence order, highest first:
 * command-line flag, environment variable, config file, built-in default.
 * Every value is validated here, so a mistake is reported before anything starts, naming where it came from.
 */
public final class SettingsLoader {
    /** The config file is itself chosen by flag, then environment, then {@code proxy.conf} when present. */
    public static final String CONFIG_KEY = "config";
    public static final String CONFIG_ENV = "PORTCULLIS_CONFIG";
    public static final Path DEFAULT_CONFIG = Path.of("proxy.conf");

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

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
        return build(values);
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

    private Settings build(Map<Setting, Sourced> v) {
        return new Settings(
                new Settings.Listen(parse(v, Setting.LISTEN, HostPort::parse), optionalHostPort(v, Setting.HTTP_LISTEN),
                        optionalHostPort(v, Setting.ADMIN_LISTEN), optional(v, Setting.SERVER_NAME),
                        parse(v, Setting.HSTS_MAX_AGE, SettingsLoader::hstsMaxAge)),
                new Settings.Upstream(parse(v, Setting.UPSTREAM, SettingsLoader::upstream),
                        integer(v, Setting.UPSTREAM_CONNECTIONS, 1, 10_000), integer(v, Setting.UPSTREAM_QUEUE, 0, 1_000_000),
                        duration(v, Setting.CONNECT_TIMEOUT), duration(v, Setting.UPSTREAM_IDLE_TIMEOUT)),
                new Settings.TlsFiles(path(v, Setting.CERT), path(v, Setting.KEY), optionalPath(v, Setting.KEY_PASSWORD_FILE),
                        optionalPath(v, Setting.CLIENT_CA),
                        parse(v, Setting.TLS_ENGINE, t -> named(Settings.TlsEngine.class, t, "auto, boringssl or jsse"))),
                new Settings.Auth(path(v, Setting.HTPASSWD), optionalPath(v, Setting.ACCESS),
                        parse(v, Setting.REALM, SettingsLoader::realm), duration(v, Setting.AUTH_CACHE_TTL),
                        integer(v, Setting.AUTH_CACHE_SIZE, 0, 10_000_000),
                        new Settings.Throttle(integer(v, Setting.THROTTLE_FAILURES, 0, 1_000_000),
                                integer(v, Setting.THROTTLE_USER_FAILURES, 0, 1_000_000), duration(v, Setting.THROTTLE_WINDOW),
                                integer(v, Setting.THROTTLE_MAX_TRACKED, 1, 10_000_000),
                                integer(v, Setting.AUTH_PENDING_PER_ADDRESS, 1, 100_000),
                                integer(v, Setting.AUTH_PENDING_TOTAL, 1, 1_000_000))),
                new Settings.Connections(integer(v, Setting.MAX_CONNECTIONS, 1, 1_000_000),
                        integer(v, Setting.MAX_CONNECTIONS_PER_ADDRESS, 1, 1_000_000), duration(v, Setting.TLS_HANDSHAKE_TIMEOUT),
                        duration(v, Setting.HEADER_TIMEOUT), duration(v, Setting.KEEPALIVE_TIMEOUT),
                        duration(v, Setting.READ_TIMEOUT), duration(v, Setting.WRITE_TIMEOUT), duration(v, Setting.DRAIN_TIMEOUT)),
                new Settings.Threads(integer(v, Setting.IO_THREADS, 0, 1024), integer(v, Setting.WORKER_THREADS, 0, 4096)),
                new Settings.Logging(parse(v, Setting.LOG_LEVEL, t -> named(Settings.LogLevel.class, t, "trace, debug, info, warn, error")),
                        parse(v, Setting.LOG_FORMAT, t -> named(Settings.LogFormat.class, t, "combined or json"))),
                parse(v, Setting.UI, SettingsLoader::onOff),
                new AuditSettings(optionalPath(v, Setting.AUDIT_LOG), parse(v, Setting.AUDIT_WEBHOOK, AuditSettings::webhooks),
                        optionalPath(v, Setting.AUDIT_WEBHOOK_SECRET_FILE), parse(v, Setting.AUDIT_ACTIONS, AuditSettings::actions),
                        integer(v, Setting.AUDIT_QUEUE, 1, 10_000_000)),
                path(v, Setting.STATE_DIR),
                new MaintenanceSettings(duration(v, Setting.MAINTENANCE_GRACE)),
                parse(v, Setting.CORS_ORIGIN, CorsSettings::parse),
                TokenLifetimes.of(parse(v, Setting.TOKEN_LIFETIME, TokenLifetimes::lifetime),
                        parse(v, Setting.TOKEN_MAX_LIFETIME, TokenLifetimes::maximum)),
                new SharedSettings(parse(v, Setting.REDIS, SharedSettings::redisUrl), optionalPath(v, Setting.REDIS_PASSWORD_FILE),
                        optionalPath(v, Setting.REDIS_CA), parse(v, Setting.PROXY_PROTOCOL_FROM, SharedSettings::cidrs)),
                IdentitySettings.directory(this, v), IdentitySettings.sso(this, v), duration(v, Setting.SIGN_IN_WINDOW));
    }

    static int integer(Map<Setting, Sourced> values, Setting setting, int min, int max) {
        return parse(values, setting, t -> intInRange(t, min, max));
    }

    static Duration duration(Map<Setting, Sourced> values, Setting setting) {
        return parse(values, setting, SettingsLoader::positiveDuration);
    }

    private static Optional<HostPort> optionalHostPort(Map<Setting, Sourced> values, Setting setting) {
        return parse(values, setting, t -> t.isEmpty() ? Optional.<HostPort>empty() : Optional.of(HostPort.parse(t)));
    }

    Optional<Path> optionalPath(Map<Setting, Sourced> values, Setting setting) {
        return optional(values, setting).map(workingDirectory::resolve);
    }

    Path path(Map<Setting, Sourced> values, Setting setting) {
        return parse(values, setting, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("a file name is required");
            }
            return workingDirectory.resolve(text);
        });
    }

    static Optional<String> optional(Map<Setting, Sourced> values, Setting setting) {
        String text = values.get(setting).value().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    static <T> T parse(Map<Setting, Sourced> values, Setting setting, Parser<T> parser) {
        Sourced sourced = values.get(setting);
        try {
            return parser.parse(sourced.value().strip());
        } catch (IllegalArgumentException e) {
            // a Redis URL may carry a password where none belongs: never echo it into the log
            String shown = setting == Setting.REDIS ? sourced.value().replaceAll("//[^/@]*@", "//…@") : sourced.value();
            throw new UserError("invalid " + setting.flag() + " value '" + shown + "' (from " + sourced.source()
                    + "): " + e.getMessage());
        }
    }

    static URI upstream(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL; expected e.g. http://registry:5000");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, e.g. http://registry:5000");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("a host is required, e.g. http://registry:5000");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("a registry serves /v2/ at its root; remove the path '" + uri.getRawPath() + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("give only scheme, host and port, e.g. http://registry:5000");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return URI.create(scheme + "://" + HostText.withPort(uri.getHost(), port));
    }

    static String realm(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the realm must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("use printable ASCII without quotes or backslashes");
            }
        }
        return text;
    }

    static boolean onOff(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected on or off, not '" + text + "'");
        };
    }

    /** Empty means off; browsers keep at most about two years in practice, so more is a typo. */
    static Optional<Duration> hstsMaxAge(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration d = duration(text);
        if (d.toSeconds() < 1 || d.toDays() > 2 * 366) {
            throw new IllegalArgumentException("must be from 1s to 732d, e.g. 365d");
        }
        return Optional.of(d);
    }

    /** A duration as settings write it (900s, 15m, 1h, 500ms); also used by commands with duration options. */
    public static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be more than zero and at most 24 days");
        }
        return d;
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 900s, 15m, 1h, 365d or 500ms");
        }
        if (m.group(1).length() > 12) {
            throw new IllegalArgumentException("the number is too large");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    static int intInRange(String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        return n;
    }

    /** An enum constant by its lower-case name (log level, log format). */
    static <E extends Enum<E>> E named(Class<E> type, String text, String expected) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected " + (expected.contains(",") ? "one of " : "") + expected);
    }

    record Sourced(String value, String source) {
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse(String text);
    }
}
