package io.portcullis.access;

import io.portcullis.api.Access;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code allow} or {@code deny} line, with its groups already expanded to user names.
 *
 * @param users     user names the rule names directly or through a group
 * @param groups    groups named {@code group:NAME}: groups a login source gives (a directory's), matched at each request
 * @param anyUser   the subject {@code *}: every authenticated user
 * @param anonymous the subject {@code anonymous}: everybody, with or without credentials
 * @param actions   pull, push, delete, or catalog alone
 * @param patterns  repository patterns; empty for a catalog rule
 * @param line      where the rule is, for messages
 */
record Rule(boolean allow, Set<String> users, Set<String> groups, boolean anyUser, boolean anonymous, Set<String> actions,
            List<RepositoryPattern> patterns, int line) {

    boolean appliesTo(Optional<String> user, Set<String> userGroups) {
        return anonymous || (user.isPresent() && (anyUser || users.contains(user.get()) || inAnyGroup(userGroups)));
    }

    private boolean inAnyGroup(Set<String> userGroups) {
        for (String group : userGroups) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }

    boolean covers(Access access) {
        if (AccessPolicy.TOKENS_ADMIN.equals(access)) {
            return actions.contains(AccessRules.TOKENS);
        }
        if (!actions.contains(access.action())) {
            return isCatalog(access) && actions.contains(AccessRules.CATALOG);
        }
        if (!"repository".equals(access.type())) {
            return false;
        }
        for (RepositoryPattern pattern : patterns) {
            if (pattern.matches(access.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCatalog(Access access) {
        return "registry".equals(access.type()) && "catalog".equals(access.name());
    }
}
