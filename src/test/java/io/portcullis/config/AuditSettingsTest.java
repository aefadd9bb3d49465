package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSettingsTest {
    @TempDir
    Path dir;

    private AuditSettings load(Map<String, String> flags) {
        return new SettingsLoader(flags, Map.of(), dir).load().audit();
    }

    @Test
    void offByDefaultWithTheRegistrysOwnActions() {
        AuditSettings audit = load(Map.of());
        assertFalse(audit.enabled());
        assertEquals(Set.of("push", "delete", "mount"), audit.actions());
        assertEquals(10_000, audit.queue());
    }

    @Test
    void severalWebhooksAndTheGatesOwnActionsOnRequest() {
        AuditSettings audit = load(Map.of("audit-webhook", "https://a.example/hook, http://127.0.0.1:9000/x",
                "audit-actions", "push,login.failure access.denied", "audit-log", "audit.log"));
        assertTrue(audit.enabled());
        assertEquals(List.of(URI.create("https://a.example/hook"), URI.create("http://127.0.0.1:9000/x")), audit.webhooks());
        assertEquals(Set.of("push", "login.failure", "access.denied"), audit.actions());
        assertEquals(dir.resolve("audit.log"), audit.log().orElseThrow());
    }

    @Test
    void theWebhookKeyMayComeAgainInTheConfigFileButOtherKeysMayNot() throws Exception {
        Path conf = dir.resolve("proxy.conf");
        Files.writeString(conf, "audit-webhook = https://a.example/hook\naudit-queue = 5\naudit-webhook = https://b.example/x, http://c:1/y\n");
        AuditSettings audit = new SettingsLoader(Map.of("config", conf.toString()), Map.of(), dir).load().audit();
        assertEquals(List.of(URI.create("https://a.example/hook"), URI.create("https://b.example/x"), URI.create("http://c:1/y")),
                audit.webhooks());

        Files.writeString(conf, "audit-queue = 5\naudit-queue = 6\n");
        UserError twice = assertThrows(UserError.class, () -> new SettingsLoader(Map.of("config", conf.toString()), Map.of(), dir).load());
        assertTrue(twice.getMessage().contains("line 2: 'audit-queue' is set twice"), twice.getMessage());
    }

    @Test
    void mistakesAreNamed() {
        UserError action = assertThrows(UserError.class, () -> load(Map.of("audit-actions", "push,upload")));
        assertTrue(action.getMessage().contains("--audit-actions") && action.getMessage().contains("upload"), action.getMessage());
        UserError url = assertThrows(UserError.class, () -> load(Map.of("audit-webhook", "ftp://x/")));
        assertTrue(url.getMessage().contains("--audit-webhook"), url.getMessage());
        assertThrows(UserError.class, () -> load(Map.of("audit-queue", "0")));
    }
}
