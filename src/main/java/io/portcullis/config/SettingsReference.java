package io.portcullis.config;

import java.util.Map;

/**
 * {@code docs/settings.md}, rendered from {@link Setting}: the reference is the settings model itself, so it cannot
 * drift (SettingsReferenceTest fails when the file differs from this rendering, and rewrites it on request).
 */
public final class SettingsReference {
    /** Headings, each placed before the setting it names; the enum keeps related settings together. */
    private static final Map<Setting, String> SECTIONS = Map.ofEntries(
            Map.entry(Setting.LISTEN, "Listeners, upstream and TLS"),
            Map.entry(Setting.HTPASSWD, "Logins, access rules and the front door"),
            Map.entry(Setting.CONNECT_TIMEOUT, "Connections and timeouts"),
            Map.entry(Setting.AUTH_CACHE_TTL, "Login cache and throttle"),
            Map.entry(Setting.IO_THREADS, "Threads and logging"),
            Map.entry(Setting.AUDIT_LOG, "Audit trail"),
            Map.entry(Setting.STATE_DIR, "State, maintenance and CORS"),
            Map.entry(Setting.TOKEN_LIFETIME, "Tokens"),
            Map.entry(Setting.REDIS, "Several gates: Redis and the PROXY protocol"),
            Map.entry(Setting.LDAP_URL, "Directory (LDAP)"),
            Map.entry(Setting.OIDC_ISSUER, "Single sign-on (OIDC)"));

    private SettingsReference() {
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Settings reference\n\n")
                .append("<!-- Generated from src/main/java/io/portcullis/config/Setting.java: do not edit by hand. After changing\n")
                .append("     a setting run: mvn -B -q test-compile surefire:test@default-test -Dtest=SettingsReferenceTest")
                .append(" -Dportcullis.regenerate=true -->\n\n")
                .append("Every setting of `portcullis serve`. Each is a flag, an environment variable and a config-file key ")
                .append("(the flag without `--`); a flag beats the environment, which beats the file, which beats the default. ")
                .append("How to combine them, with examples: [configuration.md](configuration.md). ")
                .append("Durations are a number with `ms`, `s`, `m`, `h` or `d` (no unit means seconds).\n");
        for (Setting setting : Setting.values()) {
            String section = SECTIONS.get(setting);
            if (section != null) {
                out.append("\n## ").append(section).append("\n\n")
                        .append("| Setting | Value | Default | What it does |\n")
                        .append("|---|---|---|---|\n");
            }
            out.append("| `").append(setting.flag()).append("`<br>`").append(setting.environmentVariable()).append("` | ")
                    .append(cell(setting.valueLabel())).append(" | ")
                    .append(setting.defaultValue().isEmpty() ? "not set" : "`" + setting.defaultValue() + "`").append(" | ")
                    .append(cell(setting.description()))
                    .append(setting.repeatable() ? " Repeatable: give the flag or key once per value, or commas in one value." : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
