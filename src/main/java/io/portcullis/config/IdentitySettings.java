package io.portcullis.config;

import io.portcullis.base.UserError;
import io.portcullis.config.SettingsLoader.Sourced;
import java.util.Map;
import java.util.Optional;

import static io.portcullis.config.SettingsLoader.duration;
import static io.portcullis.config.SettingsLoader.integer;
import static io.portcullis.config.SettingsLoader.optional;
import static io.portcullis.config.SettingsLoader.parse;

/** The settings of the identity sources beside the htpasswd file: the directory (ldap-*) and single sign-on (oidc-*). */
final class IdentitySettings {
    private IdentitySettings() {
    }

    /** The directory settings count only with {@code ldap-url}; then the user base is required. */
    static Optional<DirectorySettings> directory(SettingsLoader loader, Map<Setting, Sourced> v) {
        if (optional(v, Setting.LDAP_URL).isEmpty()) {
            return Optional.empty();
        }
        if (optional(v, Setting.LDAP_USER_BASE).isEmpty()) {
            throw new UserError("--ldap-url is set but --ldap-user-base is not: say where users are searched, e.g. ou=people,dc=example,dc=com");
        }
        try {
            return Optional.of(new DirectorySettings(parse(v, Setting.LDAP_URL, DirectorySettings::url),
                    loader.optionalPath(v, Setting.LDAP_CA), parse(v, Setting.LDAP_BIND_DN, t -> optionalOf(t).map(DirectorySettings::dn)),
                    loader.optionalPath(v, Setting.LDAP_BIND_PASSWORD_FILE), parse(v, Setting.LDAP_USER_BASE, DirectorySettings::dn),
                    parse(v, Setting.LDAP_USER_FILTER, t -> DirectorySettings.filter(t, "{user}")),
                    parse(v, Setting.LDAP_GROUP_ATTRIBUTE, DirectorySettings::attribute),
                    parse(v, Setting.LDAP_GROUP_BASE, t -> optionalOf(t).map(DirectorySettings::dn)),
                    parse(v, Setting.LDAP_GROUP_FILTER, t -> DirectorySettings.filter(t, "{dn}")),
                    duration(v, Setting.LDAP_TIMEOUT), integer(v, Setting.LDAP_CONNECTIONS, 1, 1000)));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static Optional<String> optionalOf(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** Single sign-on counts only with {@code oidc-issuer}; then client id, secret file and redirect are required. */
    static Optional<SsoSettings> sso(SettingsLoader loader, Map<Setting, Sourced> v) {
        if (optional(v, Setting.OIDC_ISSUER).isEmpty()) {
            return Optional.empty();
        }
        if (optional(v, Setting.OIDC_CLIENT_SECRET_FILE).isEmpty() || optional(v, Setting.OIDC_REDIRECT_URL).isEmpty()) {
            throw new UserError("--oidc-issuer is set: also set --oidc-client-id, --oidc-client-secret-file and --oidc-redirect-url");
        }
        return Optional.of(new SsoSettings(parse(v, Setting.OIDC_ISSUER, SsoSettings::issuer),
                parse(v, Setting.OIDC_CLIENT_ID, SsoSettings::clientId), loader.path(v, Setting.OIDC_CLIENT_SECRET_FILE),
                parse(v, Setting.OIDC_REDIRECT_URL, SsoSettings::redirect), parse(v, Setting.OIDC_SCOPES, SsoSettings::scopes),
                parse(v, Setting.OIDC_GROUPS_CLAIM, DirectorySettings::attribute), duration(v, Setting.SSO_SESSION_TTL)));
    }
}
