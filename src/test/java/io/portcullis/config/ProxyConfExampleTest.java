package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** proxy.conf.example is the reference users copy: it must document every key with its real default. */
class ProxyConfExampleTest {
    private static final Path EXAMPLE = Path.of("proxy.conf.example");

    @Test
    void documentsEverySettingWithItsDefault() throws Exception {
        Map<String, String> active = ConfigFile.read(EXAMPLE);
        String text = Files.readString(EXAMPLE);
        for (Setting setting : Setting.values()) {
            if (setting.defaultValue().isEmpty()) {
                assertTrue(text.contains("# " + setting.key() + " ="), setting.key() + " is not documented");
            } else {
                assertEquals(setting.defaultValue(), active.get(setting.key()), setting.key());
            }
        }
    }

    @Test
    void isAValidConfigFileAsShipped(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.conf"));
        Settings fromExample = new SettingsLoader(Map.of("config", EXAMPLE.toAbsolutePath().toString()), Map.of(),
                Path.of("").toAbsolutePath()).load();
        Settings defaults = new SettingsLoader(Map.of("config", empty.toString()), Map.of(), Path.of("").toAbsolutePath()).load();
        assertEquals(defaults, fromExample);
    }
}
