package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the audit trail goes and what it records ({@code audit-*} settings).
 *
 * @param log               the audit log file, empty when off
 * @param webhooks          the receivers events are POSTed to, none when off
 * @param webhookSecretFile signs webhook bodies when set
 * @param actions           the actions recorded, e.g. push, delete, mount
 * @param queue             most events waiting per sink
 */
public record AuditSettings(Optional<Path> log, List<URI> webhooks, Optional<Path> webhookSecretFile, Set<String> actions,
                            int queue) {
    /** Every action the gate can record; the first four are the registry's own, the last two the gate's. */
    public static final List<String> ACTIONS = List.of("push", "pull", "delete", "mount", "login.failure", "access.denied");

    public AuditSettings {
        webhooks = List.copyOf(webhooks);
        actions = Set.copyOf(actions);
    }

    /** Whether any sink is configured; without one the gate makes no events at all. */
    public boolean enabled() {
        return log.isPresent() || !webhooks.isEmpty();
    }

    static List<URI> webhooks(String text) {
        List<URI> urls = new ArrayList<>();
        for (String part : text.split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(part);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + part + "' is not a URL; expected e.g. https://hooks.example/registry");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + part + "' must be an http or https URL with a host");
            }
            urls.add(uri);
        }
        return urls;
    }

    static Set<String> actions(String text) {
        Set<String> actions = new LinkedHashSet<>();
        for (String part : text.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!ACTIONS.contains(part)) {
                throw new IllegalArgumentException("unknown action '" + part + "'; expected some of " + String.join(", ", ACTIONS));
            }
            actions.add(part);
        }
        return actions;
    }
}
