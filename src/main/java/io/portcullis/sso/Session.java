package io.portcullis.sso;

import java.time.Instant;
import java.util.Set;

/**
 * A web catalog session opened by single sign-on.
 *
 * @param id       the random session id the cookie carries (signed)
 * @param user     the user name from the ID token (preferred_username, else sub)
 * @param groups   the groups claim at sign-in, for {@code group:NAME} rules
 * @param signedIn when the provider last confirmed the user
 * @param expires  when the session ends by itself
 */
public record Session(String id, String user, Set<String> groups, Instant signedIn, Instant expires) {
    public Session {
        groups = Set.copyOf(groups);
    }
}
