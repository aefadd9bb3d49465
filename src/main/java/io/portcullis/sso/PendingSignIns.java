package io.portcullis.sso;

import java.time.Duration;
import java.util.Optional;

/**
 * Sign-ins started and not yet finished, by their state: what the callback checks (nonce, PKCE verifier). Each is
 * taken once and lives {@link #LIFETIME} at most. Kept in this process ({@link MemoryPendingSignIns}) or, with
 * several gates, in Redis ({@link RedisPendingSignIns}), because the provider may send the browser back to
 * another gate than the one it started on. Both may block briefly: call them on a worker thread.
 */
interface PendingSignIns {
    Duration LIFETIME = Duration.ofMinutes(10);

    /** Keeps {@code sign} for its callback; false when it could not be kept (the shared store does not answer). */
    boolean put(OidcClient.Pending sign);

    /** The sign-in with this state, removed in the same step: a callback URL works once, on any gate. */
    Optional<OidcClient.Pending> take(String state);

    /** Whether the store can be asked now; when not, a callback is told to try again rather than "unknown". */
    default boolean reachable() {
        return true;
    }
}
