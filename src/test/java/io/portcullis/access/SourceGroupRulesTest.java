package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.api.Access;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code group:NAME}: groups a login source (the directory) gives, matched per request, beside the file's own. */
class SourceGroupRulesTest {
    private static final AccessRules RULES = AccessRules.parse("access.conf", List.of(
            "deny group:contractors push secret/**",
            "allow group:developers,alice pull,push team/**",
            "allow group:readers pull team/**",
            "allow group:admins catalog"));

    private static boolean allows(String user, Set<String> groups, String action, String repository) {
        return RULES.allows(Optional.of(user), groups, Access.repository(repository, action));
    }

    @Test
    void aDirectoryGroupGrantsWhatItsRuleSays() {
        assertTrue(allows("dora", Set.of("developers"), "push", "team/app"));
        assertTrue(allows("rita", Set.of("readers"), "pull", "team/app"));
        assertFalse(allows("rita", Set.of("readers"), "push", "team/app"));
        assertFalse(allows("nina", Set.of(), "pull", "team/app"), "no group, no rule");
        assertTrue(allows("alice", Set.of(), "push", "team/app"), "user names still work beside groups");
        assertTrue(RULES.allows(Optional.of("ada"), Set.of("admins"), new Access("registry", "catalog", "*")));
    }

    @Test
    void aGroupNameIsNotAUserNameNorTheOtherWayRound() {
        assertFalse(allows("developers", Set.of(), "pull", "team/app"), "a user named like the group is not in it");
        assertFalse(allows("dora", Set.of("alice"), "pull", "team/app"), "a group named like a user is not that user");
        assertFalse(allows("dora", Set.of("Developers"), "pull", "team/app"), "names match exactly");
    }

    @Test
    void aDenyForAGroupComesFirstLikeAnyRule() {
        assertFalse(allows("carl", Set.of("contractors", "developers"), "push", "secret/x"));
        assertFalse(RULES.allows(Optional.empty(), Set.of("developers"), Access.repository("team/app", "pull")),
                "groups never stand in for a login");
    }

    @Test
    void anEmptyGroupNameIsAnError() {
        UserError e = assertThrows(UserError.class, () -> AccessRules.parse("a.conf", List.of("allow group: pull x/**")));
        assertTrue(e.getMessage().contains("group:developers"), e.getMessage());
    }
}
