package io.portcullis.server;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.shared.RedisStore;
import io.portcullis.tls.ServerTls;
import io.portcullis.token.TokenStore;
import java.util.Optional;

/**
 * What a gate is started with and does not own: the users, the rules, the server's TLS (all swappable by the
 * reloader), and when configured the token store and the store shared with other gates. Their owner (the app)
 * reloads and closes them.
 *
 * @param access the access rules in force ({@link AccessPolicy#none()} without a rules file)
 * @param tls    the server's TLS: its protocols and suites are used, and the certificate it serves now is read
 *               from it (readiness and the expiry metric), so a hot swap shows without telling the gate
 */
public record GateServices(Authenticator authenticator, AccessPolicy access, ServerTls tls, Optional<TokenStore> tokens,
                           Optional<RedisStore> redis) {

    /** Users, rules and TLS only: no tokens, no shared store. */
    public static GateServices of(Authenticator authenticator, AccessPolicy access, ServerTls tls) {
        return new GateServices(authenticator, access, tls, Optional.empty(), Optional.empty());
    }

    /** These services, with tokens accepted as passwords. */
    public GateServices withTokens(TokenStore tokens) {
        return new GateServices(authenticator, access, tls, Optional.of(tokens), redis);
    }

    /** These services, with {@code redis} shared with other gates when present. */
    public GateServices withRedis(Optional<RedisStore> redis) {
        return new GateServices(authenticator, access, tls, tokens, redis);
    }
}
