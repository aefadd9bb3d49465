package io.portcullis.sso;

import io.portcullis.shared.RedisStore;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import redis.clients.jedis.params.SetParams;

/**
 * Sessions in the Redis several gates share: one key per session that expires with it, so a session opened on one
 * gate is found by every gate and a sign-out on any gate deletes it for all at once (each request asks Redis: no
 * copy to go stale). Keys are named by the SHA-256 of the session id, so what Redis holds cannot be replayed as a
 * cookie (the id is the secret; it is stored only as a hash).
 *
 * <p>While Redis does not answer no session is found (the catalog asks to sign in; passwords and tokens still
 * work): a gate that cannot see a sign-out made elsewhere must not honour the session. Sessions are not lost and
 * work again when Redis is back. A sign-out made while Redis is away is remembered here and deleted from Redis by
 * the background check when it answers again, and refused by this gate meanwhile.
 */
public final class RedisSessionStore implements SessionStore {
    private static final String SESSIONS = "sso-session:";

    private final RedisStore redis;
    private final Clock clock;
    private final Duration longest;
    /** Sign-outs Redis did not take yet: key → when the session would have ended anyway. */
    private final ConcurrentHashMap<String, Instant> unsentRevocations = new ConcurrentHashMap<>();

    /** @param longest the session TTL: how long a sign-out Redis did not take yet is remembered */
    RedisSessionStore(RedisStore redis, Clock clock, Duration longest) {
        this.redis = redis;
        this.clock = clock;
        this.longest = longest;
        redis.whileUp(this::sendRevocations);
    }

    @Override
    public boolean save(Session s) {
        long ttl = Duration.between(clock.instant(), s.expires()).toMillis();
        if (ttl <= 0) {
            return false;
        }
        String value = String.join("\t", encode(s.user()), s.groups().stream().map(RedisSessionStore::encode).sorted()
                .collect(Collectors.joining(",")), Long.toString(s.signedIn().toEpochMilli()), Long.toString(s.expires().toEpochMilli()));
        return redis.call(r -> r.set(key(SESSIONS, s.id()), value, SetParams.setParams().px(ttl))).isPresent();
    }

    @Override
    public Optional<Session> find(String id) {
        String key = key(SESSIONS, id);
        if (unsentRevocations.containsKey(key)) {
            return Optional.empty();
        }
        return redis.call(r -> r.get(key)).flatMap(value -> parse(id, value))
                .filter(s -> s.expires().isAfter(clock.instant()));
    }

    @Override
    public void revoke(String id) {
        String key = key(SESSIONS, id);
        if (redis.call(r -> r.del(key)).isEmpty()) {
            // no session lives longer than the TTL, so neither need the memory of its sign-out
            unsentRevocations.put(key, clock.instant().plus(longest));
        }
    }

    @Override
    public boolean blocks() {
        return true;
    }

    private void sendRevocations() {
        unsentRevocations.forEach((key, until) -> {
            if (until.isBefore(clock.instant()) || redis.call(r -> r.del(key)).isPresent()) {
                unsentRevocations.remove(key);
            }
        });
    }

    private static Optional<Session> parse(String id, String value) {
        String[] f = value.split("\t", -1);
        if (f.length != 4) {
            return Optional.empty();
        }
        try {
            Set<String> groups = f[1].isEmpty() ? Set.of()
                    : Arrays.stream(f[1].split(",")).map(g -> URLDecoder.decode(g, StandardCharsets.UTF_8)).collect(Collectors.toSet());
            return Optional.of(new Session(id, URLDecoder.decode(f[0], StandardCharsets.UTF_8), groups,
                    Instant.ofEpochMilli(Long.parseLong(f[2])), Instant.ofEpochMilli(Long.parseLong(f[3]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The Redis key of a secret value: its SHA-256, so reading Redis gives nothing a browser could present. */
    static String key(String kind, String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return RedisStore.PREFIX + kind + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
