package io.portcullis.config;

import io.portcullis.base.TextFile;
import io.portcullis.base.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key = value} config file: one setting per line, {@code #} starts a comment line, keys are the
 * long flag names. Unknown or repeated keys are errors, so a typo never silently leaves a default in force; only
 * a {@link Setting#repeatable()} key may come again, each line adding to the list.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    public static Map<String, String> read(Path file) {
        List<String> lines = TextFile.read(file, "config file", "fix --config or create it (see proxy.conf.example)");
        Map<String, String> values = new LinkedHashMap<>();
        for (TextFile.Line numbered : TextFile.content(lines)) {
            String line = numbered.text();
            String where = file + " line " + numbered.number();
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new UserError(where + ": expected 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            if (Setting.byKey(key).isEmpty()) {
                throw new UserError(where + ": unknown key '" + key + "' (keys are the serve flags without '--', see proxy.conf.example)");
            }
            if (Setting.byKey(key).get().repeatable()) {
                values.merge(key, value, (earlier, later) -> earlier + "," + later);
            } else if (values.putIfAbsent(key, value) != null) {
                throw new UserError(where + ": '" + key + "' is set twice");
            }
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
