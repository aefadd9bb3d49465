package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryPatternTest {
    @ParameterizedTest
    @CsvSource({
            "team-a/app, team-a/app, true",
            "team-a/app, team-a/app2, false",
            "team-a/app, team-a/app/x, false",
            "team-a/*, team-a/app, true",
            "team-a/*, team-a/x/app, false",
            "team-a/*, team-a, false",
            "team-a/**, team-a/app, true",
            "team-a/**, team-a/x/y/app, true",
            "team-a/**, team-a, false",
            "team-a/**, team-ab/app, false",
            "**, app, true",
            "**, a/b/c/d, true",
            "*, app, true",
            "*, a/b, false",
            "team-*/app, team-x/app, true",
            "team-*/app, other/app, false",
            "*/**/build, a/b/build, true",
            "*/**/build, a/build, false",
            "team.a/app, teamxa/app, false",
    })
    void matchesAsDocumented(String pattern, String name, boolean expected) {
        assertEquals(expected, RepositoryPattern.parse(pattern).matches(name), pattern + " vs " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-a/../secret/app", "team-a/%2e%2e/x", "team-a//app", "Team-a/app", "team-a/app/", "-a/b"})
    void namesOutsideTheRegistrysGrammarNeverMatch(String name) {
        assertFalse(RepositoryPattern.parse("**").matches(name));
        assertFalse(RepositoryPattern.parse("team-a/**").matches(name));
    }

    @Test
    void malformedPatternsAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepositoryPattern.parse("team-a/")).getMessage().contains("empty path segment"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepositoryPattern.parse("Team/app")).getMessage().contains("lower case"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RepositoryPattern.parse("team/a**")).getMessage().contains("whole path segment"));
    }
}
