package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    private Settings load(Map<String, String> flags, Map<String, String> env) {
        return new SettingsLoader(flags, env, dir).load();
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        Settings s = load(Map.of(), Map.of());

        assertEquals(new HostPort("0.0.0.0", 5043), s.listen().https());
        assertEquals(URI.create("http://127.0.0.1:5000"), s.upstream().url());
        assertEquals(dir.resolve("ssl/docker-registry.crt"), s.tls().cert());
        assertEquals(dir.resolve("ssl/docker-registry.key"), s.tls().key());
        assertEquals(dir.resolve("auth/htpasswd"), s.auth().htpasswd());
        assertEquals("Registry Realm", s.auth().realm());
        assertEquals(Duration.ofSeconds(900), s.connections().readTimeout());
        assertEquals(Optional.empty(), s.tls().keyPasswordFile());
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Files.writeString(dir.resolve("proxy.conf"), "realm = from file\nlisten = 127.0.0.1:1\nupstream = http://file:1\n");
        Map<String, String> env = Map.of("PORTCULLIS_LISTEN", "127.0.0.1:2", "PORTCULLIS_UPSTREAM", "http://env:2");
        Map<String, String> flags = Map.of("upstream", "http://flag:3");

        Settings s = load(flags, env);

        assertEquals(URI.create("http://flag:3"), s.upstream().url(), "flag wins over env and file");
        assertEquals(new HostPort("127.0.0.1", 2), s.listen().https(), "env wins over file");
        assertEquals("from file", s.auth().realm(), "file wins over default");
        Files.writeString(dir.resolve("other.conf"), "realm = other\n");
        assertEquals("other", load(Map.of(), Map.of("PORTCULLIS_CONFIG", "other.conf")).auth().realm(),
                "an explicit config file is read instead of proxy.conf");
    }

    @Test
    void explicitConfigFileThatDoesNotExistIsAnError() {
        UserError e = assertThrows(UserError.class, () -> load(Map.of("config", "missing.conf"), Map.of()));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("--config"), e.getMessage());
    }

    @Test
    void containersolEnvironmentNamesAreHonouredBelowOurOwn() {
        assertEquals(URI.create("http://registry:5001"),
                load(Map.of(), Map.of("REGISTRY_HOST", "registry", "REGISTRY_PORT", "5001")).upstream().url());
        assertEquals(URI.create("http://registry:5000"), load(Map.of(), Map.of("REGISTRY_HOST", "registry")).upstream().url());
        assertEquals(URI.create("http://mine:9"),
                load(Map.of(), Map.of("REGISTRY_HOST", "registry", "PORTCULLIS_UPSTREAM", "http://mine:9")).upstream().url());
        assertEquals(Optional.of("registry.example.com"), load(Map.of(), Map.of("SERVER_NAME", "registry.example.com")).listen().serverName());
    }

    @Test
    void unknownKeyInTheFileNamesTheLine() throws Exception {
        Files.writeString(dir.resolve("proxy.conf"), "# comment\n\nlisten = :5043\nlisen = :1\n");
        UserError e = assertThrows(UserError.class, () -> load(Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("lisen"), e.getMessage());
    }

    @Test
    void aLineWithoutEqualsAndARepeatedKeyAreErrors() throws Exception {
        Files.writeString(dir.resolve("a.conf"), "listen 5043\n");
        assertTrue(assertThrows(UserError.class, () -> load(Map.of("config", "a.conf"), Map.of())).getMessage().contains("line 1"));
        Files.writeString(dir.resolve("b.conf"), "realm = a\nrealm = b\n");
        assertTrue(assertThrows(UserError.class, () -> load(Map.of("config", "b.conf"), Map.of())).getMessage().contains("set twice"));
    }

    @Test
    void badValuesSayWhatIsWrongAndWhereTheyCameFrom() {
        UserError url = assertThrows(UserError.class, () -> load(Map.of(), Map.of("PORTCULLIS_UPSTREAM", "ftp://x")));
        assertTrue(url.getMessage().contains("--upstream"), url.getMessage());
        assertTrue(url.getMessage().contains("PORTCULLIS_UPSTREAM"), url.getMessage());
        assertTrue(url.getMessage().contains("http or https"), url.getMessage());

        assertThrows(UserError.class, () -> load(Map.of("upstream", "http://registry:5000/v2"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("upstream", "not a url"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("listen", "5043"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("listen", "0.0.0.0:70000"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("read-timeout", "0s"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("read-timeout", "soon"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("realm", "a\"b"), Map.of()));
        assertThrows(UserError.class, () -> load(Map.of("log-level", "loud"), Map.of()));
    }

    @Test
    void valuesAreParsedInTheirDocumentedForms() {
        Settings s = load(Map.of("listen", "[::1]:0", "connect-timeout", "500ms", "read-timeout", "15m",
                "upstream", "https://registry.internal", "auth-cache-size", "0"), Map.of());

        assertEquals(new HostPort("::1", 0), s.listen().https());
        assertEquals(Duration.ofMillis(500), s.upstream().connectTimeout());
        assertEquals(Duration.ofMinutes(15), s.connections().readTimeout());
        assertEquals(URI.create("https://registry.internal:443"), s.upstream().url());
        assertEquals(0, s.auth().cacheSize());
    }
}
