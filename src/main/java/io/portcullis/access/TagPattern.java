package io.portcullis.access;

import java.util.regex.Pattern;

/**
 * A tag pattern of an {@code immutable} rule: a tag ({@code [\w][\w.-]{0,127}}) where {@code *} matches any
 * characters, so {@code v*} is every tag starting with {@code v} and {@code *} every tag.
 */
final class TagPattern {
    private static final Pattern CHARS = Pattern.compile("[A-Za-z0-9_.*-]{1,128}");

    private final String text;
    private final Pattern regex;

    private TagPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException with a message fit for the user */
    static TagPattern parse(String text) {
        if (!CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("tag pattern '" + text + "' may only use letters, digits, '_', '.', '-' and '*'");
        }
        StringBuilder re = new StringBuilder();
        for (String literal : text.split("\\*", -1)) {
            re.append(Pattern.quote(literal)).append(".*");
        }
        re.setLength(re.length() - 2);
        return new TagPattern(text, Pattern.compile(re.toString()));
    }

    boolean matches(String tag) {
        return regex.matcher(tag).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
