package io.portcullis.access;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code immutable REPOSITORY-PATTERN... tags TAG-PATTERN... [except TAG-PATTERN...]} line: once a matching
 * tag exists in a matching repository, it keeps pointing at the same manifest: no push moves it, no delete removes
 * the manifest under it. Applies to every user, whatever the allow rules say.
 *
 * @param text the line as written, for the refusal message
 */
public record ImmutableRule(List<RepositoryPattern> repositories, List<TagPattern> tags, List<TagPattern> except,
                            int line, String text) {

    /** Whether {@code tag} in {@code repository} is protected by this rule. */
    public boolean protects(String repository, String tag) {
        return covers(repository) && tags.stream().anyMatch(t -> t.matches(tag)) && except.stream().noneMatch(t -> t.matches(tag));
    }

    /** Whether some tag of {@code repository} could be protected by this rule. */
    public boolean covers(String repository) {
        return repositories.stream().anyMatch(r -> r.matches(repository));
    }

    /** How the refusal names the rule: "access rules line 7: 'immutable team/** tags v* except latest'". */
    public String describe() {
        return "access rules line " + line + ": '" + text + "'";
    }

    /**
     * Parses the words after {@code immutable}.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    static ImmutableRule parse(String[] words, int line, String text) {
        List<RepositoryPattern> repositories = new ArrayList<>();
        List<TagPattern> tags = new ArrayList<>();
        List<TagPattern> except = new ArrayList<>();
        List<?> into = repositories;
        for (int w = 1; w < words.length; w++) {
            String word = words[w];
            if (word.equals("tags") && into == repositories) {
                into = tags;
            } else if (word.equals("except") && into == tags && !tags.isEmpty()) {
                into = except;
            } else if (into == repositories) {
                repositories.add(RepositoryPattern.parse(word));
            } else {
                for (String part : word.split(",")) {
                    if (!part.isEmpty()) {
                        (into == tags ? tags : except).add(TagPattern.parse(part));
                    }
                }
            }
        }
        if (repositories.isEmpty() || tags.isEmpty() || (into == except && except.isEmpty())) {
            throw new IllegalArgumentException("expected 'immutable REPOSITORY-PATTERN... tags TAG-PATTERN... [except TAG-PATTERN...]', "
                    + "e.g. 'immutable team/** tags v* except latest'");
        }
        return new ImmutableRule(List.copyOf(repositories), List.copyOf(tags), List.copyOf(except), line, text);
    }
}
