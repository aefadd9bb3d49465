package io.portcullis.token;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where tokens live: embedded (a file in the state directory, the default) or shared by
 * several gates (Redis). The gate and {@code portcullis token …} both use it, often at the same time.
 *
 * <p>What every implementation promises:
 * <ul>
 *   <li>{@link #find} is the hot path: it answers from memory, never touching disk or network, and never blocks
 *       on I/O (an implementation keeps a copy current in the background).</li>
 *   <li>A change made by any process ({@link #create}, {@link #revoke}, {@link #rotate}) is seen by {@link #find}
 *       in every gate using the same store within a second.</li>
 *   <li>Changes are durable when the call returns: a token whose {@link #create} returned survives {@code kill -9}.
 *       Nothing stored holds a secret, only {@link TokenSecret#hash}.</li>
 *   <li>{@link #recordUse} is cheap and never blocks on I/O: it is coalesced to at most one write per token per
 *       minute ({@link #USE_WRITE_INTERVAL}), written in the background.</li>
 * </ul>
 * Expiry and secrets are checked by the caller ({@link Token#status}, {@link Token#accepts}); the store keeps
 * revoked tokens (so a client gets "revoked" rather than a plain refusal) until they are purged.
 */
public interface TokenStore extends AutoCloseable {
    /** The most often a token's last use is written. */
    Duration USE_WRITE_INTERVAL = Duration.ofMinutes(1);

    /** Creates a token with a new random id and secret; the returned text is the only copy of the secret. */
    IssuedToken create(TokenRequest request);

    /** The token with this id as last seen, revoked and expired ones included; from memory. */
    Optional<Token> find(String id);

    /**
     * After {@link #find} missed or held an older secret: the token as the store itself has it now (a token created
     * or rotated by another process a moment ago, before the in-memory copy caught up). May touch disk or network:
     * call it on a worker thread, never on an IO thread.
     */
    default Optional<Token> findFresh(String id) {
        return find(id);
    }

    /** Every token, revoked and expired ones included, oldest first; read fresh from the store (not the hot path). */
    List<Token> list();

    /** Revokes one token; empty when there is no such id. Revoking twice keeps the first time. */
    Optional<Token> revoke(String id);

    /** Revokes every token of {@code owner} not yet revoked; returns those it revoked. */
    List<Token> revokeOwner(String owner);

    /**
     * A new secret for the same id, owner, scopes and expiry; the old secret keeps working for {@code grace}
     * ({@link Duration#ZERO}: not at all). Empty when there is no such id; a revoked token is not rotated.
     */
    Optional<IssuedToken> rotate(String id, Duration grace);

    /** A successful use of the token from {@code clientAddress}: remembered, written at most once a minute. */
    void recordUse(String id, String clientAddress);

    /** Writes pending last-use times and stops any background work. */
    @Override
    void close();
}
