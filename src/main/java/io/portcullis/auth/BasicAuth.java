package io.portcullis.auth;

import io.portcullis.api.LoginChallenge;
import io.portcullis.observe.AuthEvents;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/** What a {@link BasicAuthHandler} is made of; {@link #wrap} makes one in front of {@code next}. */
public final class BasicAuth implements HandlerWrapper {
    final Authenticator authenticator;
    final LoginThrottle throttle;
    final LoginChallenge challenge;
    AuthEvents events = AuthEvents.NONE;
    Predicate<HttpServerExchange> anonymousAllowed = exchange -> false;
    Optional<TokenLogin> tokens = Optional.empty();
    Optional<Executor> hashingExecutor = Optional.empty();

    BasicAuth(Authenticator authenticator, LoginThrottle throttle, LoginChallenge challenge) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.challenge = challenge;
    }

    /** Told every outcome (metrics). */
    public BasicAuth events(AuthEvents events) {
        this.events = events;
        return this;
    }

    /** Whether a request without credentials may pass; called on the IO thread. */
    public BasicAuth anonymousWhen(Predicate<HttpServerExchange> anonymousAllowed) {
        this.anonymousAllowed = anonymousAllowed;
        return this;
    }

    /** Decides passwords shaped like a token ({@code pcl_…}), when tokens are in use. */
    public BasicAuth tokens(Optional<TokenLogin> tokens) {
        this.tokens = tokens;
        return this;
    }

    /** Where bcrypt runs instead of the server's worker pool (tests count the checks this way). */
    public BasicAuth hashingOn(Executor executor) {
        this.hashingExecutor = Optional.of(executor);
        return this;
    }

    @Override
    public BasicAuthHandler wrap(HttpHandler next) {
        return new BasicAuthHandler(this, next);
    }
}
