package io.portcullis.access;

import io.portcullis.api.Access;
import io.portcullis.token.Token;
import io.portcullis.token.TokenScope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a token's scopes allow, in the rules' own pattern syntax: the second half of "scopes intersected with the
 * owner's rights now" ({@link AccessPolicy} is the first). A password login has no token and no limit here.
 */
final class TokenScopes {
    /** Patterns compiled once; tokens are few and made by operators, the cap only guards against surprises. */
    private static final int MAX_CACHED = 10_000;
    private final Map<String, Optional<RepositoryPattern>> patterns = new ConcurrentHashMap<>();

    /** Whether {@code token} (none: a password login) may do {@code access} as far as its scopes go. */
    boolean allows(Optional<Token> token, Access access) {
        if (token.isEmpty()) {
            return true;
        }
        boolean catalog = "registry".equals(access.type()) && "catalog".equals(access.name());
        for (TokenScope scope : token.get().scopes()) {
            if (catalog ? scope.isCatalog() : "repository".equals(access.type()) && scope.actions().contains(access.action())
                    && pattern(scope.pattern()).map(p -> p.matches(access.name())).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the token may pull anything at all (the filtered catalog is worth asking for). */
    boolean mayPullSomewhere(Optional<Token> token) {
        return token.isEmpty() || token.get().scopes().stream().anyMatch(s -> s.actions().contains("pull"));
    }

    private Optional<RepositoryPattern> pattern(String text) {
        if (patterns.size() > MAX_CACHED) {
            patterns.clear();
        }
        return patterns.computeIfAbsent(text, t -> {
            try {
                return Optional.of(RepositoryPattern.parse(t));
            } catch (IllegalArgumentException e) {
                // a pattern the CLI checked but a hand-edited file broke: it matches nothing
                return Optional.empty();
            }
        });
    }

    /** The message for a scope whose pattern the rules' syntax refuses; empty when it is fine. */
    static Optional<String> problem(TokenScope scope) {
        if (scope.isCatalog()) {
            return Optional.empty();
        }
        try {
            RepositoryPattern.parse(scope.pattern());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
