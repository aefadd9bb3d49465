package io.portcullis.auth;

import io.portcullis.observe.AuthEvents;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.base.LogText;
import io.portcullis.api.RegistryError;
import io.portcullis.api.LoginChallenge;
import io.portcullis.token.AuthenticatedToken;
import io.portcullis.token.Token;
import io.portcullis.token.TokenSecret;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.portcullis.directory.LoginVerdict;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with valid basic credentials. Remembered credentials pass on the IO thread;
 * anything else is checked with bcrypt on a worker, so an IO thread never stalls its other connections. A password
 * shaped like a token ({@code pcl_…}) is decided by {@link TokenLogin} instead: no bcrypt, the same throttle for
 * failures, the same 401 after the same failure floor.
 * Rejections look exactly like registry:2's own htpasswd 401, which docker, podman and skopeo rely on.
 * A request without credentials passes, with no user, only when {@code anonymousAllowed} says so (access rules
 * granting anonymous pulls). Too many failed logins get 429 from the {@link LoginThrottle}, before bcrypt; every
 * failure is answered after the same time ({@link FailureDelay}).
 */
public final class BasicAuthHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthHandler.class);
    /** Longer user names are refused without a check (htpasswd(1) itself allows 255 bytes). */
    static final int MAX_USER_BYTES = 256;

    private final Authenticator authenticator;
    private final LoginChallenge challenge;
    private final Optional<Executor> hashingExecutor;
    private final AuthEvents events;
    private final LoginThrottle throttle;
    private final Predicate<HttpServerExchange> anonymousAllowed;
    private final Optional<TokenLogin> tokens;
    private final HttpHandler next;

    BasicAuthHandler(BasicAuth b, HttpHandler next) {
        this.authenticator = b.authenticator;
        this.challenge = b.challenge;
        this.hashingExecutor = b.hashingExecutor;
        this.events = b.events;
        this.throttle = b.throttle;
        this.anonymousAllowed = b.anonymousAllowed;
        this.tokens = b.tokens;
        this.next = next;
    }

    /**
     * Basic auth against {@code authenticator}, failures counted by {@code throttle}, refusals with {@code challenge}.
     * By default nobody passes without credentials, tokens are not accepted, outcomes are not reported and bcrypt
     * runs on the server's worker pool.
     */
    public static BasicAuth using(Authenticator authenticator, LoginThrottle throttle, LoginChallenge challenge) {
        return new BasicAuth(authenticator, throttle, challenge);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (AuthenticatedUser.of(exchange).isPresent()) {
            // identified by an earlier step (a single sign-on session on a web catalog page)
            next.handleRequest(exchange);
            return;
        }
        Optional<Credentials> credentials = Credentials.from(exchange.getRequestHeaders());
        if (credentials.isEmpty()) {
            if (Credentials.isAnonymous(exchange.getRequestHeaders()) && anonymousAllowed.test(exchange)) {
                next.handleRequest(exchange);
                return;
            }
            events.challenged();
            reject(exchange);
            return;
        }
        Credentials c = credentials.get();
        Optional<TokenSecret> token = tokens.isPresent() ? TokenLogin.claims(c) : Optional.empty();
        if (token.isPresent()) {
            tokenLogin(exchange, c.user(), token.get());
            return;
        }
        Optional<Set<String>> remembered = authenticator.remembered(c);
        if (remembered.isPresent()) {
            // proven by the cache, at no bcrypt cost: a user in the middle of a push is never throttled
            events.cacheHit();
            admit(exchange, c, remembered.get());
            return;
        }
        InetAddress client = exchange.getSourceAddress().getAddress();
        long accepted = System.nanoTime();
        if (c.user().length() > MAX_USER_BYTES || c.user().getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
            // no htpasswd entry has such a name: refused unhashed, untracked, at the same time as any failure
            events.failed();
            throttle.refusedUnchecked(client);
            HttpHandler answer = ex -> FailureDelay.answer(ex, accepted, authenticator.failureFloor(), () -> reject(ex));
            if (authenticator.isCalibrated()) {
                answer.handleRequest(exchange);
            } else {
                // the floor is still being measured (just after start): wait for it on a worker, not this IO thread
                exchange.dispatch(answer);
            }
            return;
        }
        if (!mayCheck(exchange, client, c.user())) {
            return;
        }
        events.cacheMiss();
        HttpHandler verifying = ex -> {
            // on the worker: what every gate sharing a Redis counted, one bounded round trip
            Optional<Duration> sharedWait = throttle.sharedStart(client, c.user());
            if (sharedWait.isPresent()) {
                events.throttled();
                tooMany(ex, sharedWait.get());
                return;
            }
            LoginVerdict verdict = LoginVerdict.REJECTED;
            boolean blocked = false;
            try {
                verdict = authenticator.check(c);
            } finally {
                if (verdict.outcome() == LoginVerdict.Outcome.UNAVAILABLE) {
                    throttle.unjudged(client, c.user());
                } else {
                    blocked = throttle.finished(client, c.user(), verdict.outcome() == LoginVerdict.Outcome.ACCEPTED);
                }
            }
            if (verdict.outcome() == LoginVerdict.Outcome.ACCEPTED) {
                admit(ex, c, verdict.groups());
                return;
            }
            if (verdict.outcome() == LoginVerdict.Outcome.UNAVAILABLE) {
                events.failed();
                // 503, not 401: the password was not judged wrong, so clients must not ask for another or forget
                // a stored one (docker login would say "unauthorized"); the registry answers 503 UNAVAILABLE when
                // what it needs is down, and docker, podman and skopeo report it as the server being unavailable
                FailureDelay.answer(ex, accepted, authenticator.failureFloor(), () -> refuse(ex, RegistryError.UNAVAILABLE,
                        "the login directory is unreachable; try again later (users of the htpasswd file and tokens are not affected)"));
                return;
            }
            events.failed();
            LOG.warn("authentication failed for user '{}' from {}", LogText.printable(c.user()), client.getHostAddress());
            if (blocked) {
                LOG.warn("too many failed logins for user '{}' or from {}: further attempts get 429 for a while",
                        LogText.printable(c.user()), client.getHostAddress());
            }
            FailureDelay.answer(ex, accepted, authenticator.failureFloor(), () -> reject(ex));
        };
        if (hashingExecutor.isPresent()) {
            exchange.dispatch(hashingExecutor.get(), verifying);
        } else {
            exchange.dispatch(verifying);
        }
    }

    /** Consults the throttle; false when the request was answered (429 or 503) and must not be checked. */
    private boolean mayCheck(HttpServerExchange exchange, InetAddress client, String user) {
        LoginThrottle.Decision decision = throttle.tryStart(client, user);
        switch (decision.outcome()) {
            case THROTTLED, TOO_MANY_PENDING -> {
                events.throttled();
                tooMany(exchange, decision.retryAfter());
                return false;
            }
            case BUSY -> {
                events.throttled();
                refuse(exchange, RegistryError.UNAVAILABLE);
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * A token: checked here on the IO thread (a hash and a map lookup, no bcrypt). A token the gate knows passes as a
     * remembered password does, without the throttle (a push in progress is never throttled, and the throttle's
     * bookkeeping was 10-25 % of a small request's cost in bench/token-probe); any other answer is counted by the same
     * throttle as passwords and refused after the same failure floor with the same 401.
     */
    private void tokenLogin(HttpServerExchange exchange, String user, TokenSecret secret) throws Exception {
        TokenLogin.Outcome outcome = tokens.get().check(user, secret);
        InetAddress client = exchange.getSourceAddress().getAddress();
        if (outcome.token().isPresent()) {
            admitToken(exchange, user, outcome.token().get(), client);
            return;
        }
        long accepted = System.nanoTime();
        if (!mayCheck(exchange, client, user)) {
            return;
        }
        if (TokenLogin.mayBeNew(outcome)) {
            // perhaps created or rotated a moment ago by the CLI: ask the store itself, off the IO thread
            exchange.dispatch(ex -> tokenDecided(ex, user, secret, client, accepted, tokens.get().checkFresh(user, secret)));
            return;
        }
        tokenDecided(exchange, user, secret, client, accepted, outcome);
    }

    private void tokenDecided(HttpServerExchange exchange, String user, TokenSecret secret, InetAddress client, long accepted,
                              TokenLogin.Outcome outcome) throws Exception {
        boolean blocked = throttle.finished(client, user, outcome.token().isPresent());
        if (outcome.token().isPresent()) {
            admitToken(exchange, user, outcome.token().get(), client);
            return;
        }
        String reason = outcome.refusal().orElseThrow().name().toLowerCase(java.util.Locale.ROOT);
        events.tokenLogin(reason);
        events.failed();
        LOG.warn("token login refused for user '{}' from {}: token {}, {}", LogText.printable(user), client.getHostAddress(),
                secret.id(), reason);
        if (blocked) {
            LOG.warn("too many failed logins for user '{}' or from {}: further attempts get 429 for a while",
                    LogText.printable(user), client.getHostAddress());
        }
        HttpHandler answer = ex -> FailureDelay.answer(ex, accepted, authenticator.failureFloor(), () -> reject(ex, outcome.message()));
        if (exchange.isInIoThread() && !authenticator.isCalibrated()) {
            exchange.dispatch(answer);
        } else {
            answer.handleRequest(exchange);
        }
    }

    private void admitToken(HttpServerExchange exchange, String user, Token token, InetAddress client) throws Exception {
        events.tokenLogin("ok");
        tokens.get().used(token, client.getHostAddress());
        AuthenticatedToken.set(exchange, token);
        events.succeeded();
        // an owner from outside the htpasswd file acts with the groups of its last sign-in
        AuthenticatedUser.set(exchange, user, authenticator.tokenOwnerGroups(user));
        next.handleRequest(exchange);
    }

    private void admit(HttpServerExchange exchange, Credentials credentials, Set<String> groups) throws Exception {
        events.succeeded();
        AuthenticatedUser.set(exchange, credentials.user(), groups);
        next.handleRequest(exchange);
    }

    private void tooMany(HttpServerExchange exchange, Duration wait) {
        // whole seconds, rounded up, so a client that waits exactly this long is let in
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, seconds);
        refuse(exchange, RegistryError.TOOMANYREQUESTS);
    }

    private static void refuse(HttpServerExchange exchange, RegistryError error) {
        LoginChallenge.closeUnread(exchange);
        error.send(exchange, List.of());
    }

    private static void refuse(HttpServerExchange exchange, RegistryError error, String explanation) {
        LoginChallenge.closeUnread(exchange);
        error.send(exchange, explanation);
    }

    private void reject(HttpServerExchange exchange) {
        challenge.refuse(exchange, Optional.empty());
    }

    /** The registry's 401; {@code message} replaces the standard text (an expired or revoked token's holder). */
    private void reject(HttpServerExchange exchange, Optional<String> message) {
        challenge.refuse(exchange, message);
    }
}
