package io.portcullis.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a request without credentials may do before it is asked to log in. */
class AnonymousAccessTest {
    private final AccessPolicy publicPulls = AccessPolicy.of(AccessRules.parse("t", List.of(
            "allow anonymous pull public/**", "allow team pull,push **")));
    private final AccessPolicy membersOnly = AccessPolicy.of(AccessRules.parse("t", List.of("allow team pull **")));

    @Test
    void aRegistryRequestPassesOnlyWhenTheRulesLetAnybodyDoIt() {
        AnonymousAccess anonymous = new AnonymousAccess(publicPulls, true);
        assertTrue(anonymous.test(request("GET", "/v2/public/app/manifests/1")));
        assertFalse(anonymous.test(request("PUT", "/v2/public/app/manifests/1")), "anonymous may pull, not push");
        assertFalse(anonymous.test(request("GET", "/v2/private/app/manifests/1")));
        assertFalse(anonymous.test(request("GET", "/v2/")), "the base endpoint asks for a login, as registry:2 does");
        assertFalse(anonymous.test(request("GET", "/v2/public/app/manifests/1%2F..")), "what does not parse is challenged");
        assertFalse(new AnonymousAccess(AccessPolicy.none(), true).test(request("GET", "/v2/public/app/manifests/1")),
                "without rules every request needs a login");
    }

    @Test
    void uiPagesPassWhenAnybodyMayPullSomethingAndTheEntranceAlways() {
        assertTrue(new AnonymousAccess(publicPulls, true).test(request("GET", "/ui/")));
        assertTrue(new AnonymousAccess(publicPulls, true).mayBrowse());
        AnonymousAccess closed = new AnonymousAccess(membersOnly, true);
        assertFalse(closed.mayBrowse());
        assertFalse(closed.test(request("GET", "/ui/")));
        assertFalse(closed.test(request("GET", "/ui/repo/public/app")));
        assertTrue(closed.test(request("GET", "/")), "/ only redirects to /ui/: it shows nothing");
        assertTrue(closed.test(request("HEAD", "/ui")));
        assertFalse(closed.test(request("POST", "/")), "the entrance is read-only");
    }

    @Test
    void withoutTheUiItsPathsAreTheRegistrysAndNeedALogin() {
        AnonymousAccess noUi = new AnonymousAccess(publicPulls, false);
        assertFalse(noUi.test(request("GET", "/ui/")));
        assertFalse(noUi.test(request("GET", "/")));
    }

    private static HttpServerExchange request(String method, String path) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(HttpString.tryFromString(method));
        exchange.setRequestURI(path);
        exchange.setRequestPath(path);
        exchange.setQueryString("");
        return exchange;
    }
}
