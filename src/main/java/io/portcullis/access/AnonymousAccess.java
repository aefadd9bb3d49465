package io.portcullis.access;

import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.UiPaths;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a request without credentials may do, decided before the login is asked for: a registry operation only if
 * the rules let anybody do it; a web UI page only if anybody may pull something (the entrance, {@code /} and
 * {@code /ui} redirecting to {@code /ui/}, shows nothing and always passes). Everything else gets the 401 challenge,
 * so clients log in and nobody learns anything without.
 */
public final class AnonymousAccess implements Predicate<HttpServerExchange> {
    private final AccessPolicy policy;
    private final boolean ui;

    /** @param ui whether the web UI is served (otherwise its paths are the registry's, as any other) */
    public AnonymousAccess(AccessPolicy policy, boolean ui) {
        this.policy = policy;
        this.ui = ui;
    }

    @Override
    public boolean test(HttpServerExchange exchange) {
        if (ui && UiPaths.isUiPath(exchange.getRequestPath())) {
            return UiPaths.isEntrance(exchange) || mayBrowse();
        }
        return ParsedRequest.of(exchange) instanceof RegistryOperation operation && policy.permits(Optional.empty(), operation);
    }

    /** Whether a visitor without credentials sees a catalog at all (single sign-on lets such visitors in too). */
    public boolean mayBrowse() {
        return policy.mayPullSomewhere(Optional.empty());
    }
}
