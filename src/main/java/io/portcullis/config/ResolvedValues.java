package io.portcullis.config;

import io.portcullis.base.UserError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The value each setting got from its highest source, read as the type its settings record needs. A value that
 * does not parse is a {@link UserError} naming the flag, the value and where it came from.
 */
final class ResolvedValues {
    private final Map<Setting, Sourced> values;
    private final Path workingDirectory;

    /** @param workingDirectory where relative paths are resolved */
    ResolvedValues(Map<Setting, Sourced> values, Path workingDirectory) {
        this.values = Map.copyOf(values);
        this.workingDirectory = workingDirectory;
    }

    int integer(Setting setting, int min, int max) {
        return parse(setting, t -> ValueParsers.intInRange(t, min, max));
    }

    Duration duration(Setting setting) {
        return parse(setting, ValueParsers::positiveDuration);
    }

    Optional<HostPort> optionalHostPort(Setting setting) {
        return parse(setting, t -> t.isEmpty() ? Optional.<HostPort>empty() : Optional.of(HostPort.parse(t)));
    }

    Optional<Path> optionalPath(Setting setting) {
        return optional(setting).map(workingDirectory::resolve);
    }

    Path path(Setting setting) {
        return parse(setting, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("a file name is required");
            }
            return workingDirectory.resolve(text);
        });
    }

    Optional<String> optional(Setting setting) {
        String text = values.get(setting).value().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    <T> T parse(Setting setting, Parser<T> parser) {
        Sourced sourced = values.get(setting);
        try {
            return parser.parse(sourced.value().strip());
        } catch (IllegalArgumentException e) {
            // a Redis URL may carry a password where none belongs: never echo it into the log
            String shown = setting == Setting.REDIS ? sourced.value().replaceAll("//[^/@]*@", "//…@") : sourced.value();
            throw new UserError("invalid " + setting.flag() + " value '" + shown + "' (from " + sourced.source()
                    + "): " + e.getMessage());
        }
    }

    /** A value as given, and where it came from ("--listen", "environment PORTCULLIS_LISTEN", "proxy.conf key listen"). */
    record Sourced(String value, String source) {
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse(String text);
    }
}
