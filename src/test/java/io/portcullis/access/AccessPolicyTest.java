package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Requests mapped to the registry's actions, then to the rules; and swapping the rules while running. */
class AccessPolicyTest {
    private static final Optional<String> READER = Optional.of("reader");
    private static final Optional<String> TEAM = Optional.of("team");
    private static final Optional<String> ANONYMOUS = Optional.empty();

    private final AccessPolicy policy = AccessPolicy.of(AccessRules.parse("t", List.of(
            "allow reader pull **",
            "allow team pull,push team-a/**",
            "allow team pull base/**",
            "allow anonymous pull public/**")));

    @Test
    void everyUserMayLogInButAnonymousIsChallenged() {
        assertTrue(policy.permits(READER, "GET", "/v2/", ""));
        assertTrue(policy.permits(Optional.of("not-in-any-rule"), "GET", "/v2/", ""));
        assertFalse(policy.permits(ANONYMOUS, "GET", "/v2/", ""));
    }

    @Test
    void readOnlyUserPullsButCannotPushOrDelete() {
        assertTrue(policy.permits(READER, "GET", "/v2/team-a/app/manifests/1", ""));
        assertTrue(policy.permits(READER, "HEAD", "/v2/team-a/app/blobs/sha256:aa", ""));
        assertTrue(policy.permits(READER, "GET", "/v2/team-a/app/tags/list", "n=5"));
        assertFalse(policy.permits(READER, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertFalse(policy.permits(READER, "PUT", "/v2/team-a/app/manifests/1", ""));
        assertFalse(policy.permits(READER, "DELETE", "/v2/team-a/app/manifests/sha256:aa", ""));
    }

    @Test
    void pushNeedsPullAndPushLikeTheRegistryAsks() {
        AccessPolicy pushOnly = AccessPolicy.of(AccessRules.parse("t", List.of("allow team push team-a/**")));
        assertFalse(pushOnly.permits(TEAM, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertTrue(policy.permits(TEAM, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertTrue(policy.permits(TEAM, "PATCH", "/v2/team-a/app/blobs/uploads/uuid", "_state=x"));
        assertTrue(policy.permits(TEAM, "PUT", "/v2/team-a/app/manifests/1", ""));
        assertFalse(policy.permits(TEAM, "PUT", "/v2/team-b/app/manifests/1", ""));
    }

    @Test
    void aMountNeedsPullOnItsSource() {
        assertTrue(policy.permits(TEAM, "POST", "/v2/team-a/app/blobs/uploads/", "mount=sha256:aa&from=base%2Fimg"));
        assertFalse(policy.permits(TEAM, "POST", "/v2/team-a/app/blobs/uploads/", "mount=sha256:aa&from=team-b/secret"));
    }

    @Test
    void anonymousPullsOnlyWhatTheRulesSay() {
        assertTrue(policy.permits(ANONYMOUS, "GET", "/v2/public/app/manifests/1", ""));
        assertFalse(policy.permits(ANONYMOUS, "GET", "/v2/team-a/app/manifests/1", ""));
        assertFalse(policy.permits(ANONYMOUS, "POST", "/v2/public/app/blobs/uploads/", ""));
    }

    @Test
    void catalogAndUnknownPathsFailClosedUnderRules() {
        assertFalse(policy.permits(READER, "GET", "/v2/_catalog", ""));
        assertFalse(policy.permits(READER, "GET", "/v2/something/else", ""));
        assertFalse(policy.permits(READER, "GET", "/v2/team-a/../x/manifests/1", ""));
        assertTrue(AccessPolicy.none().permits(READER, "GET", "/v2/something/else", ""), "no rules: as before");
        assertTrue(AccessPolicy.none().permits(READER, "DELETE", "/v2/x/manifests/sha256:aa", ""));
        assertFalse(AccessPolicy.none().permits(ANONYMOUS, "GET", "/v2/x/manifests/1", ""));
    }

    @Test
    void replaceSwapsTheRulesForTheNextRequest() {
        AccessPolicy p = AccessPolicy.of(AccessRules.parse("t", List.of("allow alice pull **")));
        assertFalse(p.permits(Optional.of("alice"), "PUT", "/v2/x/manifests/1", ""));
        p.replace(AccessRules.parse("t", List.of("allow alice pull,push **")));
        assertTrue(p.permits(Optional.of("alice"), "PUT", "/v2/x/manifests/1", ""));
    }
}
