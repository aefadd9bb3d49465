package io.portcullis.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One token as the store keeps it: never its secret, only {@link TokenSecret#hash}. Immutable; every change
 * (rotation, revocation, a use) is a new record written by the store.
 *
 * @param id         16 hex digits, the lookup key, also in the token's text
 * @param owner      a user name, or a robot {@code robot+NAME} ({@link Owners})
 * @param label      free text for people ("ci deploy of app"), may be empty
 * @param scopes     the most the token may do; its rights are these intersected with its owner's rights now
 * @param created    when it was created
 * @param expires    when it stops working; empty only when the operator allows tokens that never expire
 * @param secretHash SHA-256 (hex) of the current secret
 * @param previous   the secret before the last rotation, still accepted until its {@code until}
 * @param revoked    when it was revoked; a revoked token is kept (for its message and the list) until it is purged
 * @param lastUsed   the last recorded use (coalesced: at most one write per token per minute)
 */
public record Token(String id, String owner, String label, List<TokenScope> scopes, Instant created,
                   Optional<Instant> expires, String secretHash, Optional<PreviousSecret> previous,
                   Optional<Instant> revoked, Optional<LastUse> lastUsed) {

    public Token {
        scopes = List.copyOf(scopes);
    }

    /** A secret replaced by {@code rotate --grace}: accepted until {@code until}. */
    public record PreviousSecret(String hash, Instant until) {
    }

    /** When and from which client address a token was last used. */
    public record LastUse(Instant at, String from) {
    }

    /** Where a token stands at an instant. */
    public enum Status {
        ACTIVE, EXPIRED, REVOKED
    }

    public Status status(Instant now) {
        if (revoked.isPresent()) {
            return Status.REVOKED;
        }
        if (expires.isPresent() && !now.isBefore(expires.get())) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }

    /**
     * Whether {@code secret} is this token's secret now: the current one, or the previous one during its grace.
     * Both hashes are always compared, in constant time, so the answer takes the same time either way.
     */
    public boolean accepts(TokenSecret secret, Instant now) {
        String hash = secret.hash();
        boolean current = TokenSecret.sameHash(secretHash, hash);
        boolean old = previous.isPresent() && TokenSecret.sameHash(previous.get().hash(), hash)
                && now.isBefore(previous.get().until());
        return current | old;
    }

    public Token withLastUsed(LastUse use) {
        return new Token(id, owner, label, scopes, created, expires, secretHash, previous, revoked, Optional.of(use));
    }

    public Token revokedAt(Instant at) {
        return new Token(id, owner, label, scopes, created, expires, secretHash, previous, Optional.of(at), lastUsed);
    }

    /** The same token with a new secret; the old one is accepted until {@code graceUntil} (none when not after now). */
    public Token rotated(String newHash, Instant now, Instant graceUntil) {
        Optional<PreviousSecret> old = graceUntil.isAfter(now) ? Optional.of(new PreviousSecret(secretHash, graceUntil)) : Optional.empty();
        return new Token(id, owner, label, scopes, created, expires, newHash, old, revoked, lastUsed);
    }
}
