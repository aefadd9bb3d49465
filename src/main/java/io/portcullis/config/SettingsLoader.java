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
import java.util.Set;
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
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
    private static final Set<String> LOG_FORMATS = Set.of("combined", "json");

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
                parse(v, Setting.LISTEN, HostPort::parse),
                parse(v, Setting.ADMIN_LISTEN, t -> t.isEmpty() ? Optional.<HostPort>empty() : Optional.of(HostPort.parse(t))),
                parse(v, Setting.UPSTREAM, SettingsLoader::upstream),
                path(v, Setting.CERT),
                path(v, Setting.KEY),
                optional(v, Setting.KEY_PASSWORD_FILE).map(workingDirectory::resolve),
                path(v, Setting.HTPASSWD),
                optional(v, Setting.ACCESS).map(workingDirectory::resolve),
                parse(v, Setting.REALM, SettingsLoader::realm),
                optional(v, Setting.SERVER_NAME),
                parse(v, Setting.CONNECT_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.READ_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.WRITE_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.DRAIN_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.UPSTREAM_CONNECTIONS, t -> intInRange(t, 1, 10_000)),
                parse(v, Setting.UPSTREAM_QUEUE, t -> intInRange(t, 0, 1_000_000)),
                parse(v, Setting.AUTH_CACHE_TTL, SettingsLoader::positiveDuration),
                parse(v, Setting.AUTH_CACHE_SIZE, t -> (long) intInRange(t, 0, 10_000_000)),
                parse(v, Setting.THROTTLE_FAILURES, t -> intInRange(t, 0, 1_000_000)),
                parse(v, Setting.THROTTLE_USER_FAILURES, t -> intInRange(t, 0, 1_000_000)),
                parse(v, Setting.THROTTLE_WINDOW, SettingsLoader::positiveDuration),
                parse(v, Setting.THROTTLE_MAX_TRACKED, t -> (long) intInRange(t, 1, 10_000_000)),
                parse(v, Setting.IO_THREADS, t -> intInRange(t, 0, 1024)),
                parse(v, Setting.WORKER_THREADS, t -> intInRange(t, 0, 4096)),
                parse(v, Setting.LOG_LEVEL, SettingsLoader::logLevel),
                parse(v, Setting.LOG_FORMAT, SettingsLoader::logFormat),
                parse(v, Setting.HTTP_LISTEN, t -> t.isEmpty() ? Optional.<HostPort>empty() : Optional.of(HostPort.parse(t))),
                optional(v, Setting.CLIENT_CA).map(workingDirectory::resolve),
                parse(v, Setting.HSTS_MAX_AGE, SettingsLoader::hstsMaxAge),
                parse(v, Setting.UI, SettingsLoader::onOff),
                parse(v, Setting.TLS_HANDSHAKE_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.HEADER_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.KEEPALIVE_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.MAX_CONNECTIONS, t -> intInRange(t, 1, 1_000_000)),
                parse(v, Setting.MAX_CONNECTIONS_PER_ADDRESS, t -> intInRange(t, 1, 1_000_000)),
                parse(v, Setting.UPSTREAM_IDLE_TIMEOUT, SettingsLoader::positiveDuration),
                parse(v, Setting.AUTH_PENDING_PER_ADDRESS, t -> intInRange(t, 1, 100_000)),
                parse(v, Setting.AUTH_PENDING_TOTAL, t -> intInRange(t, 1, 1_000_000)),
                new AuditSettings(optional(v, Setting.AUDIT_LOG).map(workingDirectory::resolve),
                        parse(v, Setting.AUDIT_WEBHOOK, AuditSettings::webhooks),
                        optional(v, Setting.AUDIT_WEBHOOK_SECRET_FILE).map(workingDirectory::resolve),
                        parse(v, Setting.AUDIT_ACTIONS, AuditSettings::actions),
                        parse(v, Setting.AUDIT_QUEUE, t -> intInRange(t, 1, 10_000_000))));
    }

    private Path path(Map<Setting, Sourced> values, Setting setting) {
        return parse(values, setting, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("a file name is required");
            }
            return workingDirectory.resolve(text);
        });
    }

    private static Optional<String> optional(Map<Setting, Sourced> values, Setting setting) {
        String text = values.get(setting).value().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static <T> T parse(Map<Setting, Sourced> values, Setting setting, Parser<T> parser) {
        Sourced sourced = values.get(setting);
        try {
            return parser.parse(sourced.value().strip());
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid " + setting.flag() + " value '" + sourced.value() + "' (from " + sourced.source()
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

    private static Duration duration(String text) {
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

    static String logLevel(String text) {
        String level = text.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new IllegalArgumentException("expected one of trace, debug, info, warn, error");
        }
        return level;
    }

    static String logFormat(String text) {
        String format = text.toLowerCase(Locale.ROOT);
        if (!LOG_FORMATS.contains(format)) {
            throw new IllegalArgumentException("expected combined or json");
        }
        return format;
    }

    private record Sourced(String value, String source) {
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text);
    }
}
