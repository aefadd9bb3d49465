package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --admin-listen and --log-format: defaults, sources and the messages for mistakes. */
class ObserveSettingsTest {
    @TempDir
    Path dir;

    private Settings load(Map<String, String> flags, Map<String, String> env) {
        return new SettingsLoader(flags, env, dir).load();
    }

    @Test
    void adminListenerIsOffAndLogFormatCombinedByDefault() {
        Settings s = load(Map.of(), Map.of());
        assertEquals(Optional.empty(), s.listen().admin());
        assertEquals("combined", s.logging().format().key());
    }

    @Test
    void bothComeFromFlagsOrTheEnvironment() {
        Settings s = load(Map.of("admin-listen", "127.0.0.1:9090"), Map.of("PORTCULLIS_LOG_FORMAT", "JSON"));
        assertEquals(Optional.of(new HostPort("127.0.0.1", 9090)), s.listen().admin());
        assertEquals("json", s.logging().format().key());
    }

    @Test
    void mistakesNameTheSettingAndWhatToWrite() {
        UserError format = assertThrows(UserError.class, () -> load(Map.of("log-format", "apache"), Map.of()));
        assertTrue(format.getMessage().contains("--log-format") && format.getMessage().contains("combined or json"),
                format.getMessage());
        UserError admin = assertThrows(UserError.class, () -> load(Map.of(), Map.of("PORTCULLIS_ADMIN_LISTEN", "9090")));
        assertTrue(admin.getMessage().contains("--admin-listen") && admin.getMessage().contains("HOST:PORT"),
                admin.getMessage());
    }
}
