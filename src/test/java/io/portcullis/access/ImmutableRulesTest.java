package io.portcullis.access;

import io.portcullis.upstream.RegistryTags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImmutableRulesTest {
    private static AccessRules rules(String... lines) {
        return AccessRules.parse("access.conf", List.of(lines));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "team/app       | v1       | true",
            "team/x/app     | v2.3.4   | true",
            "team/app       | latest   | false",
            "team/app       | 1.0      | false",
            "team           | v1       | false",
            "other/app      | v1       | false",
    })
    void theLineFromTheIssueWorksAsWritten(String repository, String tag, boolean protectedTag) {
        AccessRules rules = rules("allow * pull,push,delete **", "immutable team/** tags v* except latest # releases");
        assertEquals(protectedTag, rules.immutable(repository, tag).isPresent(), repository + ":" + tag);
    }

    @Test
    void moreForms() {
        AccessRules rules = rules("immutable team/** base/* tags v*,release-* stable except v*-rc*,v*-dev");
        assertTrue(rules.immutable("base/alpine", "stable").isPresent());
        assertTrue(rules.immutable("team/a", "release-7").isPresent());
        assertFalse(rules.immutable("team/a", "v2-rc1").isPresent());
        assertFalse(rules.immutable("team/a", "v2-dev").isPresent());
        assertTrue(rules.hasImmutableTags("base/alpine"));
        assertFalse(rules.hasImmutableTags("base/x/alpine"));
        assertEquals(1, rules.immutableCount());
    }

    @Test
    void theRefusalNamesTheLine() {
        Optional<ImmutableRule> rule = rules("# c", "immutable team/** tags v* except latest").immutable("team/app", "v1");
        assertEquals("access rules line 2: 'immutable team/** tags v* except latest'", rule.orElseThrow().describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "immutable team/**                  | expected 'immutable REPOSITORY-PATTERN... tags TAG-PATTERN...",
            "immutable team/** tags             | expected 'immutable REPOSITORY-PATTERN... tags TAG-PATTERN...",
            "immutable tags v*                  | expected 'immutable REPOSITORY-PATTERN... tags TAG-PATTERN...",
            "immutable team/** tags v* except   | expected 'immutable REPOSITORY-PATTERN... tags TAG-PATTERN...",
            "immutable team/** tags v/1         | tag pattern 'v/1' may only use",
            "immutable Team/** tags v*          | repository pattern 'Team/**'",
    })
    void mistakesNameFileAndLine(String line, String message) {
        UserError e = assertThrows(UserError.class, () -> rules("# header", "", line.strip()));
        assertTrue(e.getMessage().startsWith("access file access.conf line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aTagListIsReadFromTheRegistrysAnswer() {
        assertEquals(List.of("v1", "latest"), RegistryTags.tagsIn("{\"name\":\"team/app\",\"tags\":[\"v1\",\"latest\"]}"));
        assertEquals(List.of(), RegistryTags.tagsIn("{\"name\":\"team/app\",\"tags\":null}"));
    }
}
