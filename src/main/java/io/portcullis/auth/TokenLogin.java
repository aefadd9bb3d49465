package io.portcullis.auth;

import io.portcullis.token.Owners;
import io.portcullis.token.Token;
import io.portcullis.token.TokenSecret;
import io.portcullis.token.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Tokens as a source of identity: a password shaped {@code pcl_…} is looked up by its id and its secret's SHA-256
 * compared in constant time. No bcrypt and no I/O (the store answers from memory), so it runs on the IO thread,
 * and a fresh token is as fast as a remembered password.
 *
 * <p>Every refusal is the same 401 after the same failure floor as a wrong password. Only a client that holds
 * the right secret learns why (expired when, revoked): that tells nothing to someone guessing.
 */
public final class TokenLogin {
    private final TokenStore store;
    private final Predicate<String> ownerActive;
    private final Function<String, Optional<String>> ownerGone;
    private final Clock clock;

    /** Why a token login was refused, for metrics and the log (never shown to a client that lacks the secret). */
    public enum Refusal {
        UNKNOWN, WRONG_SECRET, WRONG_USER, EXPIRED, REVOKED, OWNER_GONE
    }

    /**
     * @param token   the token, when accepted
     * @param refusal why not, otherwise
     * @param message what the client is told, in the 401 (the standard text unless it proved it holds the secret)
     */
    public record Outcome(Optional<Token> token, Optional<Refusal> refusal, Optional<String> message) {
        static Outcome ok(Token token) {
            return new Outcome(Optional.of(token), Optional.empty(), Optional.empty());
        }

        static Outcome refused(Refusal why) {
            return new Outcome(Optional.empty(), Optional.of(why), Optional.empty());
        }

        static Outcome refused(Refusal why, String message) {
            return new Outcome(Optional.empty(), Optional.of(why), Optional.of(message));
        }
    }

    /**
     * @param ownerActive whether a user (not robot) owner may use tokens now: the htpasswd file has the user, or a
     *                    directory or single sign-on user signed in within the window. Robots exist as long as their
     *                    tokens. Called on the IO thread: must not block.
     */
    public TokenLogin(TokenStore store, Predicate<String> ownerActive, Clock clock) {
        this(store, ownerActive, user -> Optional.empty(), clock);
    }

    /**
     * @param ownerGone what a client holding the secret of a token whose owner is not active now is told, when
     *                  there is more to say than the standard text (an owner who has not signed in lately)
     */
    public TokenLogin(TokenStore store, Predicate<String> ownerActive, Function<String, Optional<String>> ownerGone, Clock clock) {
        this.store = store;
        this.ownerActive = ownerActive;
        this.ownerGone = ownerGone;
        this.clock = clock;
    }

    /** Whether the password has a token's shape: then this source decides, and no password check runs. */
    public static Optional<TokenSecret> claims(Credentials credentials) {
        byte[] p = credentials.password();
        if (p.length != 61 || p[0] != 'p') {
            return Optional.empty();
        }
        return TokenSecret.parse(new String(p, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** From the tokens in memory: on the IO thread. */
    public Outcome check(String user, TokenSecret secret) {
        return check(user, secret, store.find(secret.id()));
    }

    /**
     * Whether a refusal by {@link #check} may be out of date: an id or a secret the gate has not seen yet (created
     * or rotated by the CLI a moment ago); then {@link #checkFresh} asks the store itself.
     */
    public static boolean mayBeNew(Outcome outcome) {
        return outcome.refusal().filter(r -> r == Refusal.UNKNOWN || r == Refusal.WRONG_SECRET).isPresent();
    }

    /** From the store itself: may read a file or the network, so on a worker thread. */
    public Outcome checkFresh(String user, TokenSecret secret) {
        return check(user, secret, store.findFresh(secret.id()));
    }

    private Outcome check(String user, TokenSecret secret, Optional<Token> found) {
        if (found.isEmpty()) {
            return Outcome.refused(Refusal.UNKNOWN);
        }
        Token token = found.get();
        Instant now = clock.instant();
        if (!token.accepts(secret, now)) {
            return Outcome.refused(Refusal.WRONG_SECRET);
        }
        if (!token.owner().equals(user)) {
            return Outcome.refused(Refusal.WRONG_USER);
        }
        switch (token.status(now)) {
            case REVOKED -> {
                return Outcome.refused(Refusal.REVOKED, "token " + token.id() + " was revoked at " + time(token.revoked().get()));
            }
            case EXPIRED -> {
                return Outcome.refused(Refusal.EXPIRED, "token " + token.id() + " expired at " + time(token.expires().get()));
            }
            default -> {
            }
        }
        if (!Owners.looksLikeRobot(user) && !ownerActive.test(user)) {
            return ownerGone.apply(user).map(m -> Outcome.refused(Refusal.OWNER_GONE, m)).orElse(Outcome.refused(Refusal.OWNER_GONE));
        }
        return Outcome.ok(token);
    }

    public void used(Token token, String clientAddress) {
        store.recordUse(token.id(), clientAddress);
    }

    private static String time(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
