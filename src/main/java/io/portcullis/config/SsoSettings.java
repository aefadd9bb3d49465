package io.portcullis.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Single sign-on to the web catalog with an OpenID Connect provider ({@code oidc-*}, {@code sso-*} settings); absent
 * when {@code oidc-issuer} is not set.
 *
 * @param issuer           the provider's issuer URL, exactly as its ID tokens name it
 * @param clientId         the gate's client id (the ID tokens' audience)
 * @param clientSecretFile the client secret's file
 * @param redirect         the gate's callback URL, ending in /ui/sso/callback
 * @param scopes           scopes asked for, openid first
 * @param groupsClaim      the claim holding groups
 * @param sessionTtl       how long a session lasts
 */
public record SsoSettings(URI issuer, String clientId, Path clientSecretFile, URI redirect, List<String> scopes,
                          String groupsClaim, Duration sessionTtl) {
    /** Where the provider sends the browser back; the gate answers it. */
    public static final String CALLBACK_PATH = "/ui/sso/callback";

    public SsoSettings {
        scopes = List.copyOf(scopes);
    }

    static URI issuer(String text) {
        URI uri = url(text, "e.g. https://login.example.com/realms/company");
        boolean https = uri.getScheme().equals("https");
        if (!https && !isLoopback(uri.getHost())) {
            // the discovery document and the keys that sign ID tokens come from here: never over plain HTTP
            throw new IllegalArgumentException("the issuer must be https (http only on a loopback address, for tests)");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    static URI redirect(String text) {
        URI uri = url(text, "e.g. https://registry.example.com:5043" + CALLBACK_PATH);
        if (!uri.getScheme().equals("https")) {
            throw new IllegalArgumentException("the gate serves HTTPS only: the redirect URL must be https://…" + CALLBACK_PATH);
        }
        if (!CALLBACK_PATH.equals(uri.getRawPath()) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("the path must be " + CALLBACK_PATH + ", with no query");
        }
        return uri;
    }

    static List<String> scopes(String text) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid");
        for (String s : text.split("[\\s,]+")) {
            if (!s.isEmpty()) {
                if (!s.matches("[\\x21\\x23-\\x5b\\x5d-\\x7e]+")) {
                    throw new IllegalArgumentException("'" + s + "' is not a scope (RFC 6749 3.3)");
                }
                scopes.add(s);
            }
        }
        return List.copyOf(scopes);
    }

    static String clientId(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("required with --oidc-issuer: the client id registered at the provider");
        }
        return text;
    }

    private static URI url(String text, String example) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL; " + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL with a host; " + example);
        }
        return uri;
    }

    /** localhost, or a loopback IP literal (never a DNS lookup: a name is not proof of where it points). */
    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
