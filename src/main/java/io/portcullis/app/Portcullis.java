package io.portcullis.app;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Htpasswd;
import io.portcullis.auth.LoginLedger;
import io.portcullis.config.Settings;
import io.portcullis.directory.LdapDirectory;
import io.portcullis.reload.AccessReload;
import io.portcullis.reload.AuditLogReopen;
import io.portcullis.reload.CertificateReload;
import io.portcullis.reload.HtpasswdReload;
import io.portcullis.reload.MaintenanceReload;
import io.portcullis.reload.Reloadable;
import io.portcullis.reload.Reloader;
import io.portcullis.server.Gate;
import io.portcullis.server.GateServices;
import io.portcullis.shared.RedisStore;
import io.portcullis.tls.ClientCa;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsEngineChoice;
import io.portcullis.tls.TlsMaterial;
import io.portcullis.reload.TokenStoreReload;
import io.portcullis.state.StateDirectory;
import io.portcullis.token.FileTokenStore;
import io.portcullis.token.RedisTokenStore;
import io.portcullis.token.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings to a running gate: loads the TLS files, the users and the access rules the settings name, starts the
 * {@link Gate} (with its audit trail) and, when asked, the {@link Reloader} that keeps them current. What runs is
 * read from its owners (the certificate from the key manager, the user count from the user table), so nothing is
 * kept in step by hand. Used by {@code serve} and by the tests.
 */
public final class Portcullis implements AutoCloseable {
    private final Settings settings;
    private final ServerTls tls;
    private final Authenticator authenticator;
    private final AccessPolicy access;
    private final Gate gate;
    private final Optional<RedisStore> redis;
    private final TokenStore tokens;
    /** Writes a token file's last uses in the background; the Redis store does that on its own sync. */
    private final Optional<TokenUpkeep> upkeep;
    private final Optional<LdapDirectory> directory;
    private volatile Reloader reloader;

    private Portcullis(Settings settings, ServerTls tls, Authenticator authenticator, AccessPolicy access, Gate gate,
                       Optional<RedisStore> redis, TokenStore tokens, Optional<TokenUpkeep> upkeep,
                       Optional<LdapDirectory> directory) {
        this.redis = redis;
        this.upkeep = upkeep;
        this.directory = directory;
        this.settings = settings;
        this.tokens = tokens;
        this.tls = tls;
        this.authenticator = authenticator;
        this.access = access;
        this.gate = gate;
    }

    /** Loads everything {@code settings} names and starts the gate; a mistake is a one-line UserError. */
    public static Portcullis start(Settings settings) {
        TlsMaterial material = TlsMaterial.load(settings.tls().cert(), settings.tls().key(),
                settings.tls().keyPasswordFile().map(TlsMaterial::readPasswordFile).orElse(null));
        ServerTls tls = ServerTls.create(material, settings.tls().clientCa().map(ClientCa::load).orElse(null),
                TlsEngineChoice.valueOf(settings.tls().engine().name()));
        StateDirectory state = StateDirectory.open(settings.stateDir());
        Optional<LdapDirectory> directory = settings.directory().map(LdapDirectory::open);
        Optional<RedisStore> redis = RedisStore.connect(settings.shared());
        Authenticator authenticator;
        AccessPolicy access;
        try {
            // logins from outside the htpasswd file keep their owners' tokens alive (sign-in-window), on every gate
            Optional<LoginLedger> ledger = directory.isPresent() || settings.sso().isPresent()
                    ? Optional.of(LoginLedger.open(state, settings.signInWindow(), Clock.systemUTC(), redis)) : Optional.empty();
            authenticator = new Authenticator(Htpasswd.load(settings.auth().htpasswd()),
                    new CredentialCache(settings.auth().cacheSize(), settings.auth().cacheTtl()), directory.map(d -> d), ledger);
            access = settings.auth().access().map(AccessPolicy::load).orElseGet(AccessPolicy::none);
        } catch (RuntimeException e) {
            redis.ifPresent(RedisStore::close);
            throw e;
        }
        TokenStore tokens;
        Optional<TokenUpkeep> upkeep = Optional.empty();
        if (redis.isPresent()) {
            // several gates: tokens, revocations and last uses in the Redis they share
            tokens = RedisTokenStore.open(redis.get(), Clock.systemUTC(), false);
        } else {
            FileTokenStore store = FileTokenStore.open(state, Clock.systemUTC());
            upkeep = Optional.of(TokenUpkeep.start(store));
            tokens = store;
        }
        try {
            Gate gate = Gate.start(settings, GateServices.of(authenticator, access, tls).withTokens(tokens).withRedis(redis));
            // what the CLI creates, rotates and revokes goes into the audit trail as the gate learns of it (token file)
            if (tokens instanceof FileTokenStore store) {
                gate.audit().ifPresent(trail -> store.listen((action, token) -> trail.tokenChanged(action, token, "portcullis token")));
            }
            return new Portcullis(settings, tls, authenticator, access, gate, redis, tokens, upkeep, directory);
        } catch (RuntimeException e) {
            closeStores(redis, tokens, upkeep);
            directory.ifPresent(LdapDirectory::close);
            throw e;
        }
    }

    /**
     * Reloads the certificate, users and rules when their files change and on SIGHUP (which also reopens the audit
     * log). Call it once the gate is listening; a reload before that would have nothing to swap into.
     */
    public Portcullis reloadOnChange() {
        reloader = Reloader.start(reloadables());
        return this;
    }

    /** In the order SIGHUP reloads them: the audit log first (it only reopens), then the files the gate serves. */
    List<Reloadable> reloadables() {
        List<Reloadable> list = new ArrayList<>();
        gate.audit().ifPresent(trail -> list.add(new AuditLogReopen(trail)));
        list.add(new CertificateReload(tls, settings.tls().cert(), settings.tls().key(), settings.tls().keyPasswordFile()));
        list.add(new HtpasswdReload(authenticator, settings.auth().htpasswd()));
        list.add(new AccessReload(access));
        list.add(new MaintenanceReload(gate.maintenance()));
        upkeep.ifPresent(u -> list.add(new TokenStoreReload(u.store())));
        return list;
    }

    public Gate gate() {
        return gate;
    }

    public ServerTls tls() {
        return tls;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public AccessPolicy access() {
        return access;
    }

    /** The token store in use: the state directory's file, or the shared Redis. */
    public TokenStore tokenStore() {
        return tokens;
    }

    /**
     * The state directory's token file store (tests reach into it).
     *
     * @throws IllegalStateException when tokens are kept in Redis
     */
    public FileTokenStore tokens() {
        return upkeep.orElseThrow(() -> new IllegalStateException("tokens are kept in Redis: use tokenStore()")).store();
    }

    /** Where the tokens are kept, for the start-up summary. */
    public String tokensWhere() {
        return upkeep.map(u -> u.store().file().toString()).orElse("Redis (shared by every gate)");
    }

    /** The token store first (it writes its pending last uses), then the Redis connection it may use. */
    private static void closeStores(Optional<RedisStore> redis, TokenStore tokens, Optional<TokenUpkeep> upkeep) {
        if (upkeep.isPresent()) {
            upkeep.get().close();
        } else {
            tokens.close();
        }
        redis.ifPresent(RedisStore::close);
    }

    /** Stops reloading, lets requests in flight finish for up to {@code timeout}, then stops the gate. */
    public boolean drain(Duration timeout) throws InterruptedException {
        stopReloading();
        try {
            return gate.drain(timeout);
        } finally {
            closeStores(redis, tokens, upkeep);
        }
    }

    @Override
    public void close() {
        stopReloading();
        gate.close();
        closeStores(redis, tokens, upkeep);
        directory.ifPresent(LdapDirectory::close);
    }

    private void stopReloading() {
        Optional.ofNullable(reloader).ifPresent(Reloader::close);
    }
}
