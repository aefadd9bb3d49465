package io.portcullis.sso;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.portcullis.shared.RedisStore;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * Pending sign-ins in the Redis several gates share: one key per sign-in (named by a hash of the state) that
 * expires by itself after {@link #LIFETIME}, so their number is bounded by what starts in ten minutes and nothing
 * needs sweeping. {@link #take} reads and deletes in one script, so two callbacks racing on two gates with the
 * same state cannot both get it: a state is used once, wherever.
 */
final class RedisPendingSignIns implements PendingSignIns {
    /** GET then DEL, atomic; GETDEL would do the same but needs Redis 6.2. */
    private static final String TAKE = "local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v";

    private final RedisStore redis;

    RedisPendingSignIns(RedisStore redis) {
        this.redis = redis;
    }

    @Override
    public boolean put(OidcClient.Pending sign) {
        String value = sign.nonce().getValue() + "\t" + sign.verifier().getValue();
        return redis.call(r -> r.set(key(sign.state().getValue()), value, SetParams.setParams().px(LIFETIME.toMillis())))
                .isPresent();
    }

    @Override
    public Optional<OidcClient.Pending> take(String state) {
        return redis.call(r -> r.eval(TAKE, List.of(key(state)), List.of()))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .map(value -> value.split("\t", 2))
                .filter(parts -> parts.length == 2)
                .map(parts -> new OidcClient.Pending(new State(state), new Nonce(parts[0]), new CodeVerifier(parts[1])));
    }

    @Override
    public boolean reachable() {
        return redis.isUp();
    }

    private static String key(String state) {
        return RedisSessionStore.key("sso-sign-in:", state);
    }
}
