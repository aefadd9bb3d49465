package io.portcullis.auth;

import io.portcullis.shared.RedisStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The last sign-ins of {@link LoginLedger} shared through Redis, so a token of a single sign-on or directory user
 * works on every gate whichever gate the user signed in on. One hash, user → the ledger's line for that user, and
 * a version counter each write increments in the same script; the background check re-reads the hash when the
 * version moved (within {@link RedisStore#CHECK_EVERY}) and drops lines older than the window. No request waits
 * for Redis: {@link LoginLedger#current} answers from memory. While Redis is away each gate keeps what it had and
 * records its own sign-ins in its state directory; the next sign-in after Redis is back shares them again.
 */
final class SharedSignIns {
    static final String SIGN_INS = RedisStore.PREFIX + "sign-ins";
    static final String VERSION = RedisStore.PREFIX + "sign-ins:version";
    /** Newer wins: a gate whose clock lags cannot move a user's last sign-in back. */
    private static final String PUT = """
            local now = redis.call('HGET', KEYS[1], ARGV[1])
            if now and tonumber(string.match(now, '^%d+')) > tonumber(ARGV[3]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('INCR', KEYS[2])
            return 1
            """;

    /** Drops a user's line only if it is still the old one read: a sign-in written meanwhile stays. */
    private static final String DROP = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end return 1";

    private final RedisStore redis;
    private final Duration window;
    private final Clock clock;
    private volatile String version = "";

    SharedSignIns(RedisStore redis, Duration window, Clock clock) {
        this.redis = redis;
        this.window = window;
        this.clock = clock;
    }

    /** Starts reading the others' sign-ins into {@code adopt}, now and after every background check. */
    void follow(Consumer<Map<String, String>> adopt) {
        sync(adopt);
        redis.whileUp(() -> sync(adopt));
    }

    /** Shares {@code user}'s sign-in, {@code line} as the ledger writes it; call off IO threads. */
    void publish(String user, String line, long epochSecond) {
        redis.call(r -> r.eval(PUT, List.of(SIGN_INS, VERSION), List.of(user, line, Long.toString(epochSecond))));
    }

    private void sync(Consumer<Map<String, String>> adopt) {
        Optional<String> now = redis.call(r -> Optional.ofNullable(r.get(VERSION)).orElse("0"));
        if (now.isEmpty() || now.get().equals(version)) {
            return;
        }
        Optional<Map<String, String>> all = redis.call(r -> r.hgetAll(SIGN_INS));
        if (all.isEmpty()) {
            return;
        }
        adopt.accept(all.get());
        version = now.get();
        long oldest = clock.instant().minus(window).getEpochSecond();
        all.get().forEach((user, line) -> {
            if (secondsOf(line) < oldest) {
                redis.call(r -> r.eval(DROP, List.of(SIGN_INS), List.of(user, line)));
            }
        });
    }

    private static long secondsOf(String line) {
        int tab = line.indexOf('\t');
        try {
            return Long.parseLong(tab < 0 ? line : line.substring(0, tab));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
