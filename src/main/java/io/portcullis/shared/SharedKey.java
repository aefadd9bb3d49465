package io.portcullis.shared;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A signing key every gate uses alike (the web catalog's form tokens): made at random by whichever gate asks first
 * and kept in Redis; each gate adopts the key it finds there. Without Redis, or while it has not answered yet, the
 * gate signs with a random key of its own, as one gate alone does. The background check re-reads the key, so a
 * gate that started while Redis was down, or a Redis that lost its data, converges on one key again within
 * {@link RedisStore#CHECK_EVERY}. Reading the key is a field read: no request waits for Redis.
 */
public final class SharedKey implements Supplier<byte[]> {
    /** Sets the proposed key unless one is there, and answers the one that is: one round trip, no race. */
    private static final String ADOPT = "redis.call('SET', KEYS[1], ARGV[1], 'NX') return redis.call('GET', KEYS[1])";

    private final byte[] own;
    private volatile byte[] current;

    private SharedKey(byte[] own) {
        this.own = own;
        this.current = own;
    }

    /** A random 32-byte key of this gate's own, shared through {@code redis} under {@code name} when there is one. */
    public static SharedKey named(String name, Optional<RedisStore> redis) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        SharedKey key = new SharedKey(bytes);
        redis.ifPresent(r -> {
            key.sync(r, name);
            r.whileUp(() -> key.sync(r, name));
        });
        return key;
    }

    @Override
    public byte[] get() {
        return current.clone();
    }

    private void sync(RedisStore redis, String name) {
        String proposed = Base64.getEncoder().encodeToString(own);
        redis.call(r -> r.eval(ADOPT, List.of(RedisStore.PREFIX + "key:" + name), List.of(proposed)))
                .filter(String.class::isInstance)
                .map(text -> Base64.getDecoder().decode((String) text))
                .filter(bytes -> bytes.length >= 32)
                .ifPresent(bytes -> current = bytes);
    }
}
