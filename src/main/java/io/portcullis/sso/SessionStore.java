package io.portcullis.sso;

import java.util.Optional;

/**
 * Where sessions live, so a session can be ended on the server (sign-out, revocation) whatever the browser keeps.
 * The embedded store is {@link MemorySessionStore}; the one several gates share is {@link RedisSessionStore}.
 */
public interface SessionStore {
    /** Keeps the session; false when it could not be kept (the shared store does not answer): no sign-in then. */
    boolean save(Session session);

    /** The session, when it exists and has not expired. */
    Optional<Session> find(String id);

    /** Ends the session at once; unknown ids are ignored. */
    void revoke(String id);

    /** Whether calls may wait on the network: then they are made on a worker thread, never on an IO thread. */
    default boolean blocks() {
        return false;
    }
}
