package io.portcullis.config;

import io.portcullis.base.UserError;
import java.util.Optional;


/** The settings of the identity sources beside the htpasswd file: the directory (ldap-*) and single sign-on (oidc-*). */
final class IdentitySettings {
    private IdentitySettings() {
    }

    /** The directory settings count only with {@code ldap-url}; then the user base is required. */
    static Optional<DirectorySettings> directory(ResolvedValues v) {
        if (v.optional(Setting.LDAP_URL).isEmpty()) {
            return Optional.empty();
        }
        if (v.optional(Setting.LDAP_USER_BASE).isEmpty()) {
            throw new UserError("--ldap-url is set but --ldap-user-base is not: say where users are searched, e.g. ou=people,dc=example,dc=com");
        }
        try {
            return Optional.of(new DirectorySettings(v.parse(Setting.LDAP_URL, DirectorySettings::url),
                    v.optionalPath(Setting.LDAP_CA), v.parse(Setting.LDAP_BIND_DN, t -> optionalOf(t).map(DirectorySettings::dn)),
                    v.optionalPath(Setting.LDAP_BIND_PASSWORD_FILE), v.parse(Setting.LDAP_USER_BASE, DirectorySettings::dn),
                    v.parse(Setting.LDAP_USER_FILTER, t -> DirectorySettings.filter(t, "{user}")),
                    v.parse(Setting.LDAP_GROUP_ATTRIBUTE, DirectorySettings::attribute),
                    v.parse(Setting.LDAP_GROUP_BASE, t -> optionalOf(t).map(DirectorySettings::dn)),
                    v.parse(Setting.LDAP_GROUP_FILTER, t -> DirectorySettings.filter(t, "{dn}")),
                    v.duration(Setting.LDAP_TIMEOUT), v.integer(Setting.LDAP_CONNECTIONS, 1, 1000)));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static Optional<String> optionalOf(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** Single sign-on counts only with {@code oidc-issuer}; then client id, secret file and redirect are required. */
    static Optional<SsoSettings> sso(ResolvedValues v) {
        if (v.optional(Setting.OIDC_ISSUER).isEmpty()) {
            return Optional.empty();
        }
        if (v.optional(Setting.OIDC_CLIENT_SECRET_FILE).isEmpty() || v.optional(Setting.OIDC_REDIRECT_URL).isEmpty()) {
            throw new UserError("--oidc-issuer is set: also set --oidc-client-id, --oidc-client-secret-file and --oidc-redirect-url");
        }
        return Optional.of(new SsoSettings(v.parse(Setting.OIDC_ISSUER, SsoSettings::issuer),
                v.parse(Setting.OIDC_CLIENT_ID, SsoSettings::clientId), v.path(Setting.OIDC_CLIENT_SECRET_FILE),
                v.parse(Setting.OIDC_REDIRECT_URL, SsoSettings::redirect), v.parse(Setting.OIDC_SCOPES, SsoSettings::scopes),
                v.parse(Setting.OIDC_GROUPS_CLAIM, DirectorySettings::attribute), v.duration(Setting.SSO_SESSION_TTL)));
    }
}
