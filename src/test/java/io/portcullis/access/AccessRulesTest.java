package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.api.Access;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {
    private static final Access CATALOG = new Access("registry", "catalog", "*");

    private static AccessRules rules(String... lines) {
        return AccessRules.parse("access.conf", List.of(lines));
    }

    private static boolean allows(AccessRules rules, String user, String action, String repository) {
        return rules.allows(Optional.ofNullable(user), Access.repository(repository, action));
    }

    @Test
    void usersGroupsAndAnyUser() {
        AccessRules r = rules(
                "# CI robots only read",
                "group ci = robot1 robot2",
                "allow @ci pull team-a/*   # one level only",
                "allow alice pull,push,delete team-a/**",
                "allow * pull shared/**");

        assertTrue(allows(r, "robot1", "pull", "team-a/app"));
        assertFalse(allows(r, "robot1", "push", "team-a/app"));
        assertFalse(allows(r, "robot1", "pull", "team-a/x/app"));
        assertTrue(allows(r, "alice", "delete", "team-a/x/app"));
        assertFalse(allows(r, "alice", "push", "team-b/app"));
        assertTrue(allows(r, "bob", "pull", "shared/base"));
        assertFalse(allows(r, "bob", "pull", "team-a/app"));
        assertFalse(allows(r, null, "pull", "shared/base"), "* means authenticated users only");
    }

    @Test
    void theFirstRuleMatchingUserActionAndRepositoryDecides() {
        AccessRules r = rules(
                "deny alice push team-a/prod/**",
                "allow alice pull,push team-a/**",
                "deny * delete **",
                "allow alice delete **");

        assertFalse(allows(r, "alice", "push", "team-a/prod/app"), "the deny above wins");
        assertTrue(allows(r, "alice", "pull", "team-a/prod/app"), "the deny is for push only; the next rule allows pull");
        assertTrue(allows(r, "alice", "push", "team-a/dev/app"));
        assertFalse(allows(r, "alice", "delete", "team-a/dev/app"), "deny * delete comes before allow alice delete");
    }

    @Test
    void nothingMatchingMeansDenied() {
        AccessRules r = rules("allow alice pull team-a/**");
        assertFalse(allows(r, "alice", "pull", "team-b/app"));
        assertFalse(allows(r, "bob", "pull", "team-a/app"));
        assertFalse(rules().allows(Optional.of("alice"), Access.repository("x", "pull")), "an empty rules file allows nothing");
    }

    @Test
    void anonymousMeansEverybodyAndIsOffByDefault() {
        AccessRules r = rules("allow anonymous pull public/**", "allow alice pull team-a/**");

        assertTrue(allows(r, null, "pull", "public/app"));
        assertTrue(allows(r, "alice", "pull", "public/app"), "logged-in users may pull what anonymous may");
        assertFalse(allows(r, null, "pull", "team-a/app"));
        assertFalse(allows(rules("allow * pull **"), null, "pull", "x"));
    }

    @Test
    void catalogIsARightOfItsOwn() {
        AccessRules r = rules("allow alice catalog", "allow bob pull,push,delete **");
        assertTrue(r.allows(Optional.of("alice"), CATALOG));
        assertFalse(r.allows(Optional.of("bob"), CATALOG), "pull on ** does not include the catalog");
        assertFalse(r.allows(Optional.empty(), CATALOG));
    }

    @Test
    void withoutARulesFileEveryUserMayDoEverythingAndAnonymousNothing() {
        assertFalse(AccessRules.NONE.enforced());
        assertTrue(allows(AccessRules.NONE, "anyone", "delete", "x/y"));
        assertTrue(AccessRules.NONE.allows(Optional.of("anyone"), CATALOG));
        assertFalse(allows(AccessRules.NONE, null, "pull", "x/y"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "permit alice pull x                    | expected 'group', 'allow', 'deny' or 'immutable'",
            "allow alice                            | expected 'allow SUBJECTS ACTIONS PATTERN...'",
            "allow alice pull                       | no repository pattern",
            "allow alice pull,pish x                | unknown action 'pish'",
            "allow alice catalog x                  | 'catalog' stands alone",
            "allow alice pull,catalog               | 'catalog' stands alone",
            "allow anonymous pull,push public/**    | anonymous may only be allowed to pull",
            "allow @nobody pull x                   | group 'nobody' is not defined above this line",
            "allow alice pull team-a/               | empty path segment",
            "group ci robot1                        | expected 'group NAME = USER USER ...'",
            "group ci = @admins                     | not allowed in a group",
    })
    void mistakesNameFileAndLine(String line, String message) {
        UserError e = assertThrows(UserError.class, () -> rules("# header", "", line.strip()));
        assertTrue(e.getMessage().startsWith("access file access.conf line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aGroupDefinedTwiceIsAMistake() {
        UserError e = assertThrows(UserError.class, () -> rules("group ci = a", "group ci = b"));
        assertEquals("access file access.conf line 2: group 'ci' is defined twice; list all its members on one line", e.getMessage());
    }

    @Test
    void theShippedExampleParses() {
        AccessRules example = AccessRules.load(Path.of("access.conf.example"));
        assertTrue(example.ruleCount() > 0);
    }

    @Test
    void aMissingFileIsAUserError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.conf");
        assertTrue(assertThrows(UserError.class, () -> AccessRules.load(missing)).getMessage().contains("does not exist"));
        Path ok = Files.writeString(dir.resolve("ok.conf"), "allow * pull **\n");
        assertEquals(1, AccessRules.load(ok).ruleCount());
    }
}
