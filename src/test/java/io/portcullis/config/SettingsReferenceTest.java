package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/settings.md is rendered from the settings model; this fails when it drifts. To rewrite it after changing a
 * setting: {@code mvn -B -q test-compile surefire:test@default-test -Dtest=SettingsReferenceTest
 * -Dportcullis.regenerate=true}.
 */
class SettingsReferenceTest {
    private static final Path DOC = Path.of("docs/settings.md");

    @Test
    void docsSettingsMdIsTheRenderingOfTheSettingsModel() throws Exception {
        String rendered = SettingsReference.markdown();
        if (Boolean.getBoolean("portcullis.regenerate")) {
            Files.writeString(DOC, rendered);
        }
        assertTrue(Files.exists(DOC), DOC + " is missing: run this test with -Dportcullis.regenerate=true");
        assertEquals(rendered, Files.readString(DOC), DOC + " differs from the settings model: run this test with "
                + "-Dportcullis.regenerate=true and commit the result");
    }

    @Test
    void everySettingHasARowWithItsFlagEnvironmentVariableAndDefault() {
        String rendered = SettingsReference.markdown();
        for (Setting setting : Setting.values()) {
            String row = rendered.lines().filter(l -> l.startsWith("| `" + setting.flag() + "`<br>")).findFirst()
                    .orElseThrow(() -> new AssertionError(setting.flag() + " has no row"));
            assertTrue(row.contains(setting.environmentVariable()), row);
            assertTrue(row.contains(setting.defaultValue().isEmpty() ? "not set" : "`" + setting.defaultValue() + "`"), row);
        }
    }
}
