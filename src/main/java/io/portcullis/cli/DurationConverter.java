package io.portcullis.cli;

import io.portcullis.config.ValueParsers;
import java.time.Duration;
import picocli.CommandLine;

/** A duration option written as settings write them (30s, 10m, 1h), so a typo is a usage error naming the option. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return ValueParsers.positiveDuration(value.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
        }
    }
}
