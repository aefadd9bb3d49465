package io.portcullis.api;

import java.util.List;
import java.util.Optional;

/**
 * A request the registry's router answers itself, before any of its handlers (and so before its auth) runs: the
 * answer depends on the request's path alone, never on what the registry stores, so the gate gives it too, with the
 * same status, to anybody. 404 where the decoded path matches no route, 301 where gorilla/mux would redirect (a path
 * {@code path.Clean} changes, or a trailing slash the route does not have or lacks), 400 where Go cannot decode the
 * path, 200 on {@code /} (the registry's liveness path).
 *
 * @param error    the registry error code for the JSON body of a 4xx (unused for 200 and 301)
 * @param reason   what is wrong, in the gate's words (no request bytes)
 * @param location the redirect target for a 301, else empty
 */
public record RouterAnswer(int status, RegistryError error, String reason, Optional<String> location) implements ParsedRequest {
    static RouterAnswer notFound(RegistryError error, String reason) {
        return new RouterAnswer(404, error, reason, Optional.empty());
    }

    static RouterAnswer redirect(String location) {
        return new RouterAnswer(301, RegistryError.UNSUPPORTED, "the registry redirects this path", Optional.of(location));
    }

    @Override
    public List<Access> accesses() {
        return List.of();
    }
}
