package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.RequestParser;
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
        assertTrue(permits(policy, READER, "GET", "/v2/", ""));
        assertTrue(permits(policy, Optional.of("not-in-any-rule"), "GET", "/v2/", ""));
        assertFalse(permits(policy, ANONYMOUS, "GET", "/v2/", ""));
    }

    @Test
    void readOnlyUserPullsButCannotPushOrDelete() {
        assertTrue(permits(policy, READER, "GET", "/v2/team-a/app/manifests/1", ""));
        assertTrue(permits(policy, READER, "HEAD", "/v2/team-a/app/blobs/sha256:aa", ""));
        assertTrue(permits(policy, READER, "GET", "/v2/team-a/app/tags/list", "n=5"));
        assertFalse(permits(policy, READER, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertFalse(permits(policy, READER, "PUT", "/v2/team-a/app/manifests/1", ""));
        assertFalse(permits(policy, READER, "DELETE", "/v2/team-a/app/manifests/sha256:aa", ""));
    }

    @Test
    void pushNeedsPullAndPushLikeTheRegistryAsks() {
        AccessPolicy pushOnly = AccessPolicy.of(AccessRules.parse("t", List.of("allow team push team-a/**")));
        assertFalse(permits(pushOnly, TEAM, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertTrue(permits(policy, TEAM, "POST", "/v2/team-a/app/blobs/uploads/", ""));
        assertTrue(permits(policy, TEAM, "PATCH", "/v2/team-a/app/blobs/uploads/uuid", "_state=x"));
        assertTrue(permits(policy, TEAM, "PUT", "/v2/team-a/app/manifests/1", ""));
        assertFalse(permits(policy, TEAM, "PUT", "/v2/team-b/app/manifests/1", ""));
    }

    @Test
    void aMountNeedsPullOnItsSource() {
        assertTrue(permits(policy, TEAM, "POST", "/v2/team-a/app/blobs/uploads/", "mount=sha256:aa&from=base%2Fimg"));
        assertFalse(permits(policy, TEAM, "POST", "/v2/team-a/app/blobs/uploads/", "mount=sha256:aa&from=team-b/secret"));
    }

    @Test
    void anonymousPullsOnlyWhatTheRulesSay() {
        assertTrue(permits(policy, ANONYMOUS, "GET", "/v2/public/app/manifests/1", ""));
        assertFalse(permits(policy, ANONYMOUS, "GET", "/v2/team-a/app/manifests/1", ""));
        assertFalse(permits(policy, ANONYMOUS, "POST", "/v2/public/app/blobs/uploads/", ""));
    }

    @Test
    void unknownPathsFailClosedUnderRules() {
        assertFalse(permits(policy, READER, "GET", "/v2/something/else", ""));
        assertFalse(permits(policy, READER, "GET", "/v2/team-a/../x/manifests/1", ""));
        assertFalse(permits(AccessPolicy.none(), READER, "GET", "/v2/something/else", ""),
                "no rules: a path that is no registry route is refused all the same");
        assertTrue(permits(AccessPolicy.none(), READER, "DELETE", "/v2/x/manifests/sha256:aa", ""));
        assertFalse(permits(AccessPolicy.none(), ANONYMOUS, "GET", "/v2/x/manifests/1", ""));
    }

    @Test
    void theCatalogIsForWhoeverMayPullSomethingFilteredToThat() {
        // the list itself is filtered by io.portcullis.listing.VisibleCatalog; "allow … catalog" sees all of it
        AccessPolicy p = AccessPolicy.of(AccessRules.parse("t", List.of("allow admin catalog", "allow reader pull team/**",
                "allow admin pull,push,delete **")));
        assertTrue(permits(p, Optional.of("reader"), "GET", "/v2/_catalog", "n=10"));
        assertTrue(p.seesWholeCatalog(Optional.of("admin")));
        assertFalse(p.seesWholeCatalog(Optional.of("reader")));
        assertTrue(p.mayPull(Optional.of("reader"), "team/app"));
        assertFalse(p.mayPull(Optional.of("reader"), "other/app"));
        assertFalse(permits(p, Optional.of("nobody"), "GET", "/v2/_catalog", ""), "may pull nothing: denied as before");
        assertFalse(permits(p, Optional.empty(), "GET", "/v2/_catalog", ""), "anonymous may pull nothing: challenged");
        AccessPolicy withPublic = AccessPolicy.of(AccessRules.parse("t", List.of("allow anonymous pull public/**")));
        assertTrue(permits(withPublic, Optional.empty(), "GET", "/v2/_catalog", ""));
        assertTrue(permits(AccessPolicy.none(), Optional.of("any"), "GET", "/v2/_catalog", ""), "no rules: as before");
        assertTrue(AccessPolicy.none().seesWholeCatalog(Optional.of("any")));
    }

    @Test
    void replaceSwapsTheRulesForTheNextRequest() {
        AccessPolicy p = AccessPolicy.of(AccessRules.parse("t", List.of("allow alice pull **")));
        assertFalse(permits(p, Optional.of("alice"), "PUT", "/v2/x/manifests/1", ""));
        p.replace(AccessRules.parse("t", List.of("allow alice pull,push **")));
        assertTrue(permits(p, Optional.of("alice"), "PUT", "/v2/x/manifests/1", ""));
    }
    /** The policy's decision on the parse of a request target, as the gate makes it. */
    private static boolean permits(AccessPolicy policy, Optional<String> user, String method, String path, String query) {
        ParsedRequest parsed = RequestParser.parse(method, path, query, List.of());
        return parsed instanceof RegistryOperation operation && policy.permits(user, operation);
    }
}
