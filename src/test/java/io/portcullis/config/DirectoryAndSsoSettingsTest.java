package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ldap-* and oidc-* settings: off unless their URL is set, then checked once at start with messages that say what to fix. */
class DirectoryAndSsoSettingsTest {
    @TempDir
    Path dir;

    private Settings load(Map<String, String> flags) {
        return new SettingsLoader(flags, Map.of(), dir).load();
    }

    private static Map<String, String> ldap(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("ldap-url", "ldaps://ldap.example.com", "ldap-user-base", "ou=people,dc=example,dc=com"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private String error(Map<String, String> flags) {
        return assertThrows(UserError.class, () -> load(flags)).getMessage();
    }

    @Test
    void offByDefault() {
        Settings s = load(Map.of());
        assertEquals(Optional.empty(), s.directory());
        assertEquals(Optional.empty(), s.sso());
    }

    @Test
    void aDirectoryWithItsDefaults() {
        DirectorySettings d = load(ldap()).directory().orElseThrow();
        assertEquals(URI.create("ldaps://ldap.example.com"), d.url());
        assertEquals(636, d.port());
        assertEquals("(uid={user})", d.userFilter());
        assertEquals("memberOf", d.groupAttribute());
        assertEquals(4, d.connections());
        DirectorySettings startTls = load(ldap("ldap-url", "ldap://ldap.example.com")).directory().orElseThrow();
        assertTrue(startTls.startTls());
        assertEquals(389, startTls.port());
    }

    @Test
    void directoryMistakesSayWhatToFix() {
        assertTrue(error(ldap("ldap-url", "http://ldap.example.com")).contains("ldaps, or ldap (upgraded with StartTLS)"));
        assertTrue(error(Map.of("ldap-url", "ldaps://x")).contains("--ldap-user-base"));
        assertTrue(error(ldap("ldap-user-filter", "(uid=x)")).contains("{user}"));
        assertTrue(error(ldap("ldap-user-filter", "(uid={user}")).contains("not an LDAP filter"));
        assertTrue(error(ldap("ldap-bind-dn", "cn=gate,dc=example,dc=com")).contains("go together"));
        assertTrue(error(ldap("ldap-user-base", "not a dn")).contains("not a DN"));
    }

    @Test
    void singleSignOnNeedsItsFourSettingsAndHttps() {
        Map<String, String> sso = new HashMap<>(Map.of("oidc-issuer", "https://login.example.com/realms/co/", "oidc-client-id", "gate",
                "oidc-client-secret-file", "oidc.secret", "oidc-redirect-url", "https://registry.example.com/ui/sso/callback"));
        SsoSettings s = load(sso).sso().orElseThrow();
        assertEquals(URI.create("https://login.example.com/realms/co"), s.issuer());
        assertEquals(List.of("openid", "profile", "email"), s.scopes());
        assertEquals("groups", s.groupsClaim());

        Map<String, String> plain = new HashMap<>(sso);
        plain.put("oidc-issuer", "http://login.example.com");
        assertTrue(error(plain).contains("must be https"));
        plain.put("oidc-issuer", "http://127.0.0.1:8080/default");
        assertEquals(URI.create("http://127.0.0.1:8080/default"), load(plain).sso().orElseThrow().issuer(), "loopback, for tests");
        Map<String, String> wrongPath = new HashMap<>(sso);
        wrongPath.put("oidc-redirect-url", "https://registry.example.com/callback");
        assertTrue(error(wrongPath).contains("/ui/sso/callback"));
        assertTrue(error(Map.of("oidc-issuer", "https://login.example.com")).contains("--oidc-client-secret-file"));
    }
}
