package io.portcullis.sso;

import java.util.Optional;

/**
 * Where sessions live, so a session can be ended on the server (sign-out, revocation) whatever the browser keeps.
 * The embedded store is {@link MemorySessionStore}; a store shared by several gates (Redis) implements the same.
 */
public interface SessionStore {
    void save(Session session);

    /** The session, when it exists and has not expired. */
    Optional<Session> find(String id);

    /** Ends the session at once; unknown ids are ignored. */
    void revoke(String id);

    /**
     * The latest sign-in of {@code user} on any session still held, for credentials that live only while their
     * owner keeps signing in (tokens of SSO users).
     */
    Optional<java.time.Instant> lastSignIn(String user);
}
