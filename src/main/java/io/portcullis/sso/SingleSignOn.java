package io.portcullis.sso;

import io.portcullis.base.UserError;
import io.portcullis.config.SsoSettings;
import io.portcullis.shared.RedisStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.portcullis.auth.LoginLedger;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;

/** Single sign-on, set up once at start: the client secret read, the stores chosen ({@link SsoStores}). */
public final class SingleSignOn {
    private final SsoSettings settings;
    private final String clientSecret;
    private final SsoStores stores;
    private final Clock clock;
    private final Optional<LoginLedger> ledger;

    private SingleSignOn(SsoSettings settings, String clientSecret, SsoStores stores, Clock clock, Optional<LoginLedger> ledger) {
        this.ledger = ledger;
        this.settings = settings;
        this.clientSecret = clientSecret;
        this.stores = stores;
        this.clock = clock;
    }

    /**
     * Reads the client secret file; a missing or empty one is a one-line start-up error.
     *
     * @param ledger told every sign-in, so the user's tokens keep working (when kept)
     * @param redis  the store several gates share, when {@code redis} is set: sessions, sign-ins and the cookie key go there
     */
    public static SingleSignOn open(SsoSettings settings, Clock clock, Optional<LoginLedger> ledger, Optional<RedisStore> redis) {
        String secret;
        try {
            secret = Files.readAllLines(settings.clientSecretFile(), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("--oidc-client-secret-file " + settings.clientSecretFile()
                    + " does not exist: create it with the client secret on its first line");
        } catch (IOException e) {
            throw new UserError("cannot read --oidc-client-secret-file " + settings.clientSecretFile() + ": " + e.getMessage());
        }
        if (secret.isEmpty()) {
            throw new UserError("--oidc-client-secret-file " + settings.clientSecretFile() + " is empty: its first line must be the client secret");
        }
        return new SingleSignOn(settings, secret, SsoStores.open(redis, clock, settings.sessionTtl()), clock, ledger);
    }

    public SessionStore sessions() {
        return stores.sessions();
    }

    /** The step before basic auth; {@code anonymousWelcome}: visitors without credentials may see the catalog. */
    public HttpHandler handler(Predicate<HttpServerExchange> anonymousWelcome, HttpHandler next) {
        return new SsoHandler(settings, clientSecret, stores, clock, ledger, anonymousWelcome, next);
    }
}
