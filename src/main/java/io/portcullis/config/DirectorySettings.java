package io.portcullis.config;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The company directory basic logins fall back to ({@code ldap-*} settings); absent when {@code ldap-url} is not set.
 *
 * @param url              ldaps://host:port, or ldap://host:port (always upgraded with StartTLS)
 * @param ca               CAs the directory's certificate must chain to; empty: the JVM's
 * @param bindDn           the gate's own DN for searches; empty: anonymous searches
 * @param bindPasswordFile the password of {@code bindDn}
 * @param userBase         where users are searched (subtree)
 * @param userFilter       a filter with {@code {user}}, checked to parse
 * @param groupAttribute   the user's attribute holding group DNs (used when {@code groupBase} is empty)
 * @param groupBase        where groups are searched, instead of the attribute
 * @param groupFilter      the group search's filter, with {@code {dn}} and/or {@code {user}}
 * @param timeout          connect, response and pool waits
 * @param connections      connections per pool (searches; users' binds)
 */
public record DirectorySettings(URI url, Optional<Path> ca, Optional<String> bindDn, Optional<Path> bindPasswordFile,
                                String userBase, String userFilter, String groupAttribute, Optional<String> groupBase,
                                String groupFilter, Duration timeout, int connections) {

    public DirectorySettings {
        if (bindDn.isPresent() != bindPasswordFile.isPresent()) {
            throw new IllegalArgumentException("--ldap-bind-dn and --ldap-bind-password-file go together: set both or neither");
        }
    }

    /** ldaps is TLS from the first byte; ldap is upgraded with StartTLS before anything else is sent. */
    public boolean startTls() {
        return url.getScheme().equals("ldap");
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : startTls() ? 389 : 636;
    }

    static URI url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL; expected e.g. ldaps://ldap.example.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldaps") && !scheme.equals("ldap")) {
            throw new IllegalArgumentException("the scheme must be ldaps, or ldap (upgraded with StartTLS), e.g. ldaps://ldap.example.com");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("a host is required, e.g. ldaps://ldap.example.com");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/") || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("give only scheme, host and port; the search base is --ldap-user-base");
        }
        return URI.create(scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
    }

    static String dn(String text) {
        try {
            new DN(text);
            return text;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not a DN (" + e.getMessage() + "), e.g. ou=people,dc=example,dc=com");
        }
    }

    /** A filter template parses once its placeholders hold a value, and names the placeholder it needs. */
    static String filter(String text, String needs) {
        if (!text.contains(needs) && !(needs.equals("{dn}") && text.contains("{user}"))) {
            throw new IllegalArgumentException("the filter must contain " + needs + ", e.g. (uid={user})");
        }
        try {
            Filter.create(text.replace("{user}", "x").replace("{dn}", "x"));
            return text;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not an LDAP filter (" + e.getMessage() + ")");
        }
    }

    static String attribute(String text) {
        if (!text.matches("[A-Za-z][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("expected an attribute name such as memberOf");
        }
        return text;
    }
}
