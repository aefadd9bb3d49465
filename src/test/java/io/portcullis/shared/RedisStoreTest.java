package io.portcullis.shared;

import io.portcullis.testing.Poll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.config.SharedSettings;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against a real redis-server: shared keys, Redis down at start, and a stalled Redis (SIGSTOP). */
@NeedsTools("redis-server")
class RedisStoreTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RedisProcess redis(String password) {
        RedisProcess r = RedisProcess.start(dir.resolve("redis"), password);
        open.add(r);
        return r;
    }

    private RedisStore store(String url, Optional<Path> passwordFile) {
        RedisStore s = RedisStore.connect(new SharedSettings(Optional.of(URI.create(url)), passwordFile, Optional.empty(),
                List.of())).orElseThrow();
        open.add(s);
        return s;
    }

    @Test
    void gatesOnOneRedisSignWithOneKeyAndWithoutRedisEachHasItsOwn() throws Exception {
        RedisProcess redis = redis("s3cret");
        Path password = Files.writeString(dir.resolve("redis.pw"), "s3cret\n");
        RedisStore a = store(redis.url(), Optional.of(password));
        RedisStore b = store(redis.url(), Optional.of(password));

        assertArrayEquals(SharedKey.named("k", Optional.of(a)).get(), SharedKey.named("k", Optional.of(b)).get());
        assertFalse(Arrays.equals(SharedKey.named("k", Optional.empty()).get(), SharedKey.named("k", Optional.empty()).get()));
        assertFalse(Arrays.equals(SharedKey.named("k", Optional.of(a)).get(), SharedKey.named("other", Optional.of(a)).get()));
    }

    @Test
    void aWrongPasswordIsAStoreThatIsDownNotACrash() throws Exception {
        RedisProcess redis = redis("s3cret");
        RedisStore s = store(redis.url(), Optional.of(Files.writeString(dir.resolve("wrong.pw"), "guess\n")));

        assertFalse(s.isUp());
        assertTrue(s.status().startsWith("unreachable"), s.status());
        assertFalse(s.status().contains("guess"), "the status names no password");
    }

    @Test
    void downAtStartTheGateUsesItsOwnKeyThenJoinsTheOthersWhenRedisAnswers() throws Exception {
        RedisProcess redis = redis(null);
        RedisStore first = store(redis.url(), Optional.empty());
        SharedKey shared = SharedKey.named("k", Optional.of(first));
        redis.stop();
        awaitTrue(() -> !first.isUp(), "the first store sees Redis go");

        long start = System.nanoTime();
        RedisStore late = store(redis.url(), Optional.empty());
        SharedKey lateKey = SharedKey.named("k", Optional.of(late));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000, "a dead Redis does not hold up the start");
        assertFalse(late.isUp());

        redis.start(); // empty: the key is gone, the first gate's comes back or the late gate's wins, one for both
        awaitTrue(() -> late.isUp() && first.isUp() && Arrays.equals(shared.get(), lateKey.get()), "one key again");
    }

    @Test
    void aStalledRedisCostsEachCallerAtMostATimeoutAndThenNothing() throws Exception {
        RedisProcess redis = redis(null);
        RedisStore s = store(redis.url(), Optional.empty());
        assertEquals(Optional.of("PONG"), s.call(r -> r.ping()));
        redis.pause();

        ExecutorService callers = Executors.newFixedThreadPool(64);
        try {
            long start = System.nanoTime();
            List<Future<Optional<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(callers.submit(() -> s.call(r -> r.ping())));
            }
            for (Future<Optional<String>> call : calls) {
                assertEquals(Optional.empty(), call.get());
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(millis < 2 * (RedisStore.TIMEOUT.toMillis() + RedisStore.POOL_WAIT.toMillis()) + 500,
                    "64 callers on a stalled Redis all had their answer within " + millis + " ms");

            long next = System.nanoTime();
            assertEquals(Optional.empty(), s.call(r -> r.ping()));
            assertTrue(Duration.ofNanos(System.nanoTime() - next).toMillis() < 50, "once down, calls fail at once");
        } finally {
            callers.shutdownNow();
            redis.resume();
        }
        awaitTrue(s::isUp, "back after SIGCONT, without a restart");
        assertEquals(Optional.of("PONG"), s.call(r -> r.ping()));
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Poll.pause(50);
        }
    }
}
