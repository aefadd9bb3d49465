package io.portcullis.auth;

import io.portcullis.shared.RedisStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The failed-login counts every gate shares, in Redis: the same rules as {@link LoginThrottle}'s own counters
 * (a fixed window from the first failure, an attempt counted before its check and taken back on success), each
 * step one Lua script, so parallel attempts on several gates cannot all pass before the first failure is counted.
 * One round trip before a password check and one after, both on the worker that runs the check.
 *
 * <p>When Redis does not answer the step is skipped: the gate's own counters, which count every attempt anyway,
 * decide alone (per-gate limits, never unlimited guessing).
 */
final class RedisLoginCounts {
    private static final String START = """
            local la, lu, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local a = tonumber(redis.call('GET', KEYS[1]) or '0')
            local u = tonumber(redis.call('GET', KEYS[2]) or '0')
            if lu > 0 and u >= lu and a > 0 then return {1, redis.call('PTTL', KEYS[2])} end
            if la > 0 and a >= la then return {1, redis.call('PTTL', KEYS[1])} end
            if la > 0 and redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], window) end
            if lu > 0 and redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], window) end
            return {0, 0}
            """;
    private static final String FINISH = """
            local la, lu = tonumber(ARGV[2]), tonumber(ARGV[3])
            if ARGV[1] == '1' then
              redis.call('DEL', KEYS[1])
              if redis.call('EXISTS', KEYS[2]) == 1 and redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
              return 0
            end
            local a = tonumber(redis.call('GET', KEYS[1]) or '0')
            local u = tonumber(redis.call('GET', KEYS[2]) or '0')
            if (la > 0 and a == la) or (lu > 0 and u == lu) then return 1 end
            return 0
            """;
    private static final Duration AT_LEAST = Duration.ofSeconds(1);

    private final RedisStore redis;
    private final List<String> limits;

    RedisLoginCounts(RedisStore redis, int addressLimit, int userLimit, Duration window) {
        this.redis = redis;
        this.limits = List.of(String.valueOf(addressLimit), String.valueOf(userLimit), String.valueOf(window.toMillis()));
    }

    /** Counts the attempt unless the address (or the name, for an address with failures) is blocked on any gate. */
    Optional<Duration> tryStart(String address, UUID name) {
        Optional<Object> reply = redis.call(r -> r.eval(START, keys(address, name), limits));
        if (reply.isEmpty() || !(reply.get() instanceof List<?> pair) || !Long.valueOf(1).equals(pair.get(0))) {
            return Optional.empty();
        }
        long millis = pair.get(1) instanceof Long ms ? ms : 0;
        return Optional.of(millis > 0 ? Duration.ofMillis(millis) : AT_LEAST);
    }

    /** @return true when this failure is the one that blocked the address or put the name under attack */
    boolean finished(String address, UUID name, boolean success) {
        Optional<Object> reply = redis.call(r -> r.eval(FINISH, keys(address, name),
                List.of(success ? "1" : "0", limits.get(0), limits.get(1))));
        return reply.isPresent() && Long.valueOf(1).equals(reply.get());
    }

    private static List<String> keys(String address, UUID name) {
        return List.of(RedisStore.PREFIX + "throttle:address:" + address, RedisStore.PREFIX + "throttle:user:" + name);
    }
}
