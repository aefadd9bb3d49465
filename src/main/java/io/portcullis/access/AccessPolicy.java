package io.portcullis.access;

import io.portcullis.base.UserError;
import io.portcullis.api.Access;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.Route;
import io.portcullis.token.Token;
import io.portcullis.token.TokenScope;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rules in force, swappable while requests run: a reload ({@code io.portcullis.reload.AccessReload})
 * replaces them in one step with {@link #replace}, and a rules file that does not parse leaves them in place. Decides requests in the registry's own terms
 * (the accesses of a {@link RegistryOperation}), never by HTTP method alone, so {@code docker login} and pushes keep working.
 */
public final class AccessPolicy {
    private static final Access CATALOG = new Access("registry", "catalog", "*");
    /** {@code allow … tokens}: a right of the web catalog only, never asked for by a registry request. */
    static final Access TOKENS_ADMIN = new Access("registry", "tokens", "admin");

    private final Optional<Path> file;
    private final AtomicReference<AccessRules> current;
    private final TokenScopes scopes = new TokenScopes();

    private AccessPolicy(Optional<Path> file, AccessRules rules) {
        this.file = file;
        this.current = new AtomicReference<>(rules);
    }

    /** No rules file: every valid user may do everything; nothing without credentials. */
    public static AccessPolicy none() {
        return new AccessPolicy(Optional.empty(), AccessRules.NONE);
    }

    /** Reads and checks the file once; a mistake is a {@link UserError} naming file and line. */
    public static AccessPolicy load(Path file) {
        return new AccessPolicy(Optional.of(file), AccessRules.load(file));
    }

    public static AccessPolicy of(AccessRules rules) {
        return new AccessPolicy(Optional.empty(), rules);
    }

    public Optional<Path> file() {
        return file;
    }

    public AccessRules rules() {
        return current.get();
    }

    /** Requests that start after this see the new rules; a request in progress keeps the decision it got. */
    public void replace(AccessRules rules) {
        current.set(rules);
    }

    /**
     * Whether a parsed request may pass: the one access decision, used by the access handler and, for requests
     * without credentials, by basic auth.
     *
     * @param user the authenticated user, or empty for a request without credentials
     */
    public boolean permits(Optional<String> user, RegistryOperation operation) {
        return permits(user, Set.of(), Optional.empty(), operation);
    }

    /**
     * The same decision for a token login: what the rules give the token's owner now, intersected with the
     * token's scopes, so a token never has more than its owner.
     *
     * @param token the token the request was authenticated with; empty for a password or no credentials
     */
    public boolean permits(Optional<String> user, Optional<Token> token, RegistryOperation operation) {
        return permits(user, Set.of(), token, operation);
    }

    /**
     * The whole decision.
     *
     * @param groups the groups the user's login source gives (a directory's), matched by {@code group:NAME}
     * @param token  the token the request was authenticated with; empty for a password or no credentials
     */
    public boolean permits(Optional<String> user, Set<String> groups, Optional<Token> token, RegistryOperation operation) {
        AccessRules rules = current.get();
        if (operation.route() == Route.BASE) {
            // the API check is what `docker login` sends: every valid user passes, so read-only users can log in;
            // without credentials it must be challenged, or clients would never send any
            return user.isPresent();
        }
        if (operation.route() == Route.CATALOG) {
            // the catalog is filtered to what the user may pull (io.portcullis.listing.FilteredCatalogHandler);
            // "allow … catalog" means the whole list, unfiltered
            return seesWholeCatalog(user, groups, token) || (rules.mayPullSomewhere(user, groups) && scopes.mayPullSomewhere(token));
        }
        List<Access> wanted = operation.accesses();
        if (wanted.isEmpty()) {
            // a method the registry attaches no access to (OPTIONS): with rules in force, fail closed
            return user.isPresent() && !rules.enforced();
        }
        for (Access access : wanted) {
            if (!rules.allows(user, groups, access) || !scopes.allows(token, access)) {
                return false;
            }
        }
        return true;
    }

    /** {@code allow … catalog}: the user sees every repository; everybody else sees those they may pull. */
    public boolean seesWholeCatalog(Optional<String> user) {
        return seesWholeCatalog(user, Set.of(), Optional.empty());
    }

    /** {@link #seesWholeCatalog(Optional)} for a user in {@code groups}, within a token's scopes (its {@code catalog} scope). */
    public boolean seesWholeCatalog(Optional<String> user, Set<String> groups, Optional<Token> token) {
        return current.get().allows(user, groups, CATALOG) && scopes.allows(token, CATALOG);
    }

    /** {@link #seesWholeCatalog(Optional)} within a token's scopes (its {@code catalog} scope). */
    public boolean seesWholeCatalog(Optional<String> user, Optional<Token> token) {
        return seesWholeCatalog(user, Set.of(), token);
    }

    public boolean mayPull(Optional<String> user, String repository) {
        return mayPull(user, Set.of(), Optional.empty(), repository);
    }

    /** {@link #mayPull(Optional, String)} for a user in {@code groups}, within a token's scopes. */
    public boolean mayPull(Optional<String> user, Set<String> groups, Optional<Token> token, String repository) {
        Access pull = Access.repository(repository, "pull");
        return current.get().allows(user, groups, pull) && scopes.allows(token, pull);
    }

    /** {@link #mayPull(Optional, String)} within a token's scopes. */
    public boolean mayPull(Optional<String> user, Optional<Token> token, String repository) {
        return mayPull(user, Set.of(), token, repository);
    }

    public boolean mayDelete(Optional<String> user, Set<String> groups, String repository) {
        return current.get().allows(user, groups, Access.repository(repository, "delete"));
    }

    /**
     * Whether the owner may do, now, everything a scope asks for on every repository it names, as far as that can be
     * told without the names: each action is allowed on at least the literal pattern (the web page's check that a
     * user does not hand out more than they have; at every request the intersection decides anyway).
     */
    public boolean ownerMayScope(Optional<String> user, TokenScope scope) {
        return ownerMayScope(user, Set.of(), scope);
    }

    /** {@link #ownerMayScope(Optional, TokenScope)} for an owner its login source puts in {@code groups}. */
    public boolean ownerMayScope(Optional<String> user, Set<String> groups, TokenScope scope) {
        if (scope.isCatalog()) {
            return seesWholeCatalog(user, groups, Optional.empty());
        }
        String probe = scope.pattern().replace("**", "x").replace("*", "x");
        return scope.actions().stream().allMatch(a -> current.get().allows(user, groups, Access.repository(probe, a)));
    }

    /**
     * Whether the user sees and revokes everyone's tokens on the Tokens page: {@code allow … tokens} in a rules file.
     * Without a rules file nobody is (the CLI is the operator's tool).
     */
    public boolean administersTokens(Optional<String> user) {
        return administersTokens(user, Set.of());
    }

    public boolean administersTokens(Optional<String> user, Set<String> groups) {
        AccessRules rules = current.get();
        return user.isPresent() && rules.enforced() && rules.allows(user, groups, TOKENS_ADMIN);
    }

    /** What is wrong with a scope's pattern in the rules' syntax; empty when it is fine. */
    public static Optional<String> scopeProblem(TokenScope scope) {
        return TokenScopes.problem(scope);
    }

    /** Whether a visitor without credentials has anything to see, or should be challenged. */
    public boolean mayPullSomewhere(Optional<String> user) {
        return current.get().mayPullSomewhere(user);
    }
}
