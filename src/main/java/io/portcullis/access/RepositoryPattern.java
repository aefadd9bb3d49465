package io.portcullis.access;

import java.util.regex.Pattern;

/**
 * A repository-name pattern from the rules file: path segments separated by {@code /}, where {@code *} inside a
 * segment matches any characters but {@code /}, and a whole segment {@code **} matches one or more segments.
 * So {@code team-a/*} matches {@code team-a/app} but not {@code team-a/x/app}; {@code team-a/**} matches both
 * (but not {@code team-a} itself); {@code **} matches every repository.
 */
final class RepositoryPattern {
    /** distribution's repository-name grammar (reference.NameRegexp path components). */
    private static final Pattern VALID_NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern SEGMENT_CHARS = Pattern.compile("[a-z0-9._*-]+");

    private final String text;
    private final Pattern regex;

    private RepositoryPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException with a message fit for the user, naming what is wrong */
    static RepositoryPattern parse(String text) {
        StringBuilder re = new StringBuilder();
        String[] segments = text.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (i > 0) {
                re.append('/');
            }
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("repository pattern '" + text + "' has an empty path segment (a leading, trailing or double '/')");
            }
            if (segment.equals("**")) {
                re.append("[^/]+(?:/[^/]+)*");
                continue;
            }
            if (!SEGMENT_CHARS.matcher(segment).matches()) {
                throw new IllegalArgumentException("repository pattern '" + text + "' may only use a-z, 0-9, '.', '_', '-', '*' and '/'"
                        + " (repository names are lower case)");
            }
            if (segment.contains("**")) {
                throw new IllegalArgumentException("repository pattern '" + text + "': '**' must be a whole path segment, e.g. team-a/**");
            }
            for (String literal : segment.split("\\*", -1)) {
                // between the literals of one segment sits a '*': any characters except '/'
                re.append(Pattern.quote(literal)).append("[^/]*");
            }
            re.setLength(re.length() - "[^/]*".length());
        }
        return new RepositoryPattern(text, Pattern.compile(re.toString()));
    }

    /**
     * True when the name is a valid repository name and the pattern covers it. Names outside distribution's
     * grammar (a {@code ..} segment, an encoded slash) never match, so path tricks cannot reach a pattern.
     */
    boolean matches(String repository) {
        return isValidName(repository) && regex.matcher(repository).matches();
    }

    static boolean isValidName(String repository) {
        return repository.length() <= 255 && VALID_NAME.matcher(repository).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
