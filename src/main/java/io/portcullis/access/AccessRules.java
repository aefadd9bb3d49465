package io.portcullis.access;

import io.portcullis.base.TextFile;
import io.portcullis.base.UserError;
import io.portcullis.api.Access;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed rules file: who may do which action on which repositories. Immutable; a reload builds a new one.
 *
 * <pre>
 * group NAME = USER...                        members are user names from the htpasswd file
 * allow SUBJECTS ACTIONS PATTERN...           SUBJECTS: user, @group, group:NAME (a directory group), * (any user),
 *                                             anonymous; comma-separated
 * deny  SUBJECTS ACTIONS PATTERN...           ACTIONS: pull, push, delete; comma-separated
 * allow SUBJECTS catalog                      may list repositories (GET /v2/_catalog)
 * immutable PATTERN... tags TAG... [except TAG...]   protected tags never move and their manifests stay
 * allow SUBJECTS tokens                       sees and revokes everyone's tokens (web catalog's Tokens page)
 * </pre>
 *
 * For each action a request needs, the first rule (top to bottom) whose subject, action and pattern all match
 * decides; when none matches, the action is denied. Without a rules file ({@link #NONE}) every authenticated
 * user may do everything and anonymous requests nothing, as before access rules existed.
 */
public final class AccessRules {
    static final String CATALOG = "catalog";
    /** {@code allow @admins tokens}: sees and revokes everyone's tokens on the web catalog's Tokens page. */
    static final String TOKENS = "tokens";
    private static final Set<String> REPOSITORY_ACTIONS = Set.of("pull", "push", "delete");
    /** A group the login source gives (the directory's, the identity provider's), not one defined in the file. */
    static final String SOURCE_GROUP = "group:";
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** No rules file: today's behaviour. */
    public static final AccessRules NONE = new AccessRules(List.of(), 0, false, List.of());

    private final List<Rule> rules;
    private final int groups;
    private final boolean enforced;
    private final List<ImmutableRule> immutable;

    private AccessRules(List<Rule> rules, int groups, boolean enforced, List<ImmutableRule> immutable) {
        this.rules = List.copyOf(rules);
        this.groups = groups;
        this.enforced = enforced;
        this.immutable = List.copyOf(immutable);
    }

    public static AccessRules load(Path file) {
        return parse(file.toString(), TextFile.read(file, "access file",
                "create it (see access.conf.example) or fix --access"));
    }

    static AccessRules parse(String fileName, List<String> lines) {
        Map<String, Set<String>> groups = new HashMap<>();
        List<Rule> rules = new ArrayList<>();
        List<ImmutableRule> immutable = new ArrayList<>();
        for (TextFile.Line numbered : TextFile.content(lines)) {
            int lineNo = numbered.number();
            // besides comment lines, the access file allows a comment after a rule
            String line = stripComment(numbered.text());
            try {
                String[] words = line.split("\\s+");
                switch (words[0]) {
                    case "group" -> group(words, groups);
                    case "allow", "deny" -> rules.add(rule(words, groups, lineNo));
                    case "immutable" -> immutable.add(ImmutableRule.parse(words, lineNo, line));
                    default -> throw new IllegalArgumentException("expected 'group', 'allow', 'deny' or 'immutable' at the start of the line, not '"
                            + words[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new UserError("access file " + fileName + " line " + lineNo + ": " + e.getMessage());
            }
        }
        return new AccessRules(rules, groups.size(), true, immutable);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).strip();
    }

    private static void group(String[] words, Map<String, Set<String>> groups) {
        if (words.length < 3 || !words[2].equals("=")) {
            throw new IllegalArgumentException("expected 'group NAME = USER USER ...'");
        }
        String name = words[1];
        if (!GROUP_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("group name '" + name + "' may only use letters, digits, '.', '_' and '-'");
        }
        if (groups.containsKey(name)) {
            throw new IllegalArgumentException("group '" + name + "' is defined twice; list all its members on one line");
        }
        Set<String> members = new LinkedHashSet<>();
        for (int w = 3; w < words.length; w++) {
            String member = words[w];
            if (member.startsWith("@") || member.equals("*") || member.equals("anonymous")) {
                throw new IllegalArgumentException("group members are user names; '" + member + "' is not allowed in a group");
            }
            members.add(member);
        }
        groups.put(name, Set.copyOf(members));
    }

    private static Rule rule(String[] words, Map<String, Set<String>> groups, int lineNo) {
        boolean allow = words[0].equals("allow");
        if (words.length < 3) {
            throw new IllegalArgumentException("expected '" + words[0] + " SUBJECTS ACTIONS PATTERN...', e.g. '"
                    + words[0] + " @ci pull team-a/**'");
        }
        Set<String> users = new LinkedHashSet<>();
        Set<String> sourceGroups = new LinkedHashSet<>();
        boolean anyUser = false;
        boolean anonymous = false;
        for (String subject : words[1].split(",")) {
            if (subject.isEmpty()) {
                throw new IllegalArgumentException("empty subject in '" + words[1] + "'");
            } else if (subject.equals("*")) {
                anyUser = true;
            } else if (subject.equals("anonymous")) {
                anonymous = true;
            } else if (subject.startsWith(SOURCE_GROUP)) {
                String name = subject.substring(SOURCE_GROUP.length());
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("'group:' needs the group's name, e.g. 'group:developers'");
                }
                sourceGroups.add(name);
            } else if (subject.startsWith("@")) {
                Set<String> members = groups.get(subject.substring(1));
                if (members == null) {
                    throw new IllegalArgumentException("group '" + subject.substring(1) + "' is not defined above this line");
                }
                users.addAll(members);
            } else {
                users.add(subject);
            }
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : words[2].split(",")) {
            if (!REPOSITORY_ACTIONS.contains(action) && !action.equals(CATALOG) && !action.equals(TOKENS)) {
                throw new IllegalArgumentException("unknown action '" + action + "'; use pull, push, delete (comma-separated), catalog or tokens");
            }
            actions.add(action);
        }
        List<RepositoryPattern> patterns = new ArrayList<>();
        for (int w = 3; w < words.length; w++) {
            patterns.add(RepositoryPattern.parse(words[w]));
        }
        if (actions.contains(CATALOG) || actions.contains(TOKENS)) {
            String right = actions.contains(CATALOG) ? CATALOG : TOKENS;
            if (actions.size() > 1 || !patterns.isEmpty()) {
                throw new IllegalArgumentException("'" + right + "' stands alone and takes no repository pattern, e.g. 'allow @admins " + right + "'");
            }
        } else if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no repository pattern; add one, e.g. 'team-a/*', 'team-a/**' or '**' for all");
        }
        if (anonymous && allow && !actions.equals(Set.of("pull"))) {
            // requests without credentials may only ever read: pushing or deleting needs an accountable user
            throw new IllegalArgumentException("anonymous may only be allowed to pull");
        }
        return new Rule(allow, Set.copyOf(users), Set.copyOf(sourceGroups), anyUser, anonymous, Set.copyOf(actions), patterns, lineNo);
    }

    /** False for {@link #NONE}: then every authenticated user may do everything. */
    public boolean enforced() {
        return enforced;
    }

    public int ruleCount() {
        return rules.size();
    }

    public int groupCount() {
        return groups;
    }

    /** The first {@code immutable} rule protecting this tag, if any. */
    public Optional<ImmutableRule> immutable(String repository, String tag) {
        return immutable.stream().filter(r -> r.protects(repository, tag)).findFirst();
    }

    /** Whether some {@code immutable} rule covers tags of this repository (a delete must then be checked). */
    public boolean hasImmutableTags(String repository) {
        return immutableIn(repository).isPresent();
    }

    /** The first {@code immutable} rule covering tags of this repository. */
    public Optional<ImmutableRule> immutableIn(String repository) {
        return immutable.stream().filter(r -> r.covers(repository)).findFirst();
    }

    public int immutableCount() {
        return immutable.size();
    }

    /** Whether the user (empty: no credentials) may have this access; the first matching rule decides. */
    public boolean allows(Optional<String> user, Access access) {
        return allows(user, Set.of(), access);
    }

    /** As {@link #allows(Optional, Access)} for a user its login source puts in {@code groups}. */
    public boolean allows(Optional<String> user, Set<String> groups, Access access) {
        if (!enforced) {
            return user.isPresent();
        }
        for (Rule rule : rules) {
            if (rule.appliesTo(user, groups) && rule.covers(access)) {
                return rule.allow();
            }
        }
        return false;
    }

    /**
     * Whether some allow rule could let the user pull (a deny above it may still refuse each repository): the web
     * catalog and the filtered {@code _catalog} admit a request without credentials only when this holds for
     * anonymous, and challenge it otherwise.
     */
    public boolean mayPullSomewhere(Optional<String> user) {
        return mayPullSomewhere(user, Set.of());
    }

    public boolean mayPullSomewhere(Optional<String> user, Set<String> groups) {
        if (!enforced) {
            return user.isPresent();
        }
        for (Rule rule : rules) {
            if (rule.allow() && rule.appliesTo(user, groups) && rule.actions().contains("pull")) {
                return true;
            }
        }
        return false;
    }
}
