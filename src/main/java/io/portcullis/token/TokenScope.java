package io.portcullis.token;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do at most: actions on repositories matching a pattern in the access rules' own syntax
 * ({@code pull,push:team/*}), or {@code catalog} (list every repository). The token's rights at every request are
 * its scopes intersected with what the rules give its owner then; the access package interprets the pattern.
 *
 * @param actions pull, push, delete, or catalog alone
 * @param pattern a repository pattern ({@code *}, {@code team/*}, {@code app}); empty for {@code catalog}
 */
public record TokenScope(Set<String> actions, String pattern) {
    public static final String CATALOG = "catalog";
    private static final Set<String> REPOSITORY_ACTIONS = Set.of("pull", "push", "delete");

    public TokenScope {
        actions = Set.copyOf(actions);
    }

    /**
     * Reads {@code ACTIONS:PATTERN} (actions comma-separated) or {@code catalog}.
     *
     * @throws IllegalArgumentException saying what is wrong, for a one-line message
     */
    public static TokenScope parse(String text) {
        String t = text.strip();
        if (t.equals(CATALOG)) {
            return new TokenScope(Set.of(CATALOG), "");
        }
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("scope '" + text + "' is not ACTIONS:PATTERN (e.g. pull:team/*, pull,push:app) or catalog");
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String a : t.substring(0, colon).split(",")) {
            String action = a.strip().toLowerCase(Locale.ROOT);
            if (!REPOSITORY_ACTIONS.contains(action)) {
                throw new IllegalArgumentException("scope '" + text + "': unknown action '" + a + "' (pull, push, delete; or catalog alone)");
            }
            actions.add(action);
        }
        String pattern = t.substring(colon + 1).strip();
        if (!pattern.matches("[a-z0-9._/*-]+")) {
            throw new IllegalArgumentException("scope '" + text + "': pattern '" + pattern + "' is not a repository pattern (lower-case name, / and *)");
        }
        return new TokenScope(actions, pattern);
    }

    public static List<TokenScope> parseAll(List<String> texts) {
        return texts.stream().map(TokenScope::parse).toList();
    }

    public boolean isCatalog() {
        return actions.contains(CATALOG);
    }

    /** The text {@link #parse} reads, actions in a fixed order. */
    @Override
    public String toString() {
        if (isCatalog()) {
            return CATALOG;
        }
        return String.join(",", Arrays.stream(new String[] {"pull", "push", "delete"}).filter(actions::contains).toList())
                + ":" + pattern;
    }
}
