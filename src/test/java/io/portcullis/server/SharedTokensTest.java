package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.RedisGates;
import io.portcullis.testing.RedisProcess;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import io.portcullis.token.TokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tokens of three gates in one real redis-server: made on one, working on all; revoked on one, refused by all. */
@NeedsTools("redis-server")
class SharedTokensTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    RedisGates shared;
    RedisProcess redis;
    List<TestGate> gates;

    @BeforeEach
    void start() throws Exception {
        shared = RedisGates.start(wiremock, dir, 3, Map.of());
        redis = shared.redis;
        gates = shared.gates;
    }

    @AfterEach
    void stop() {
        shared.close();
    }

    private IssuedToken create(TestGate on) {
        return on.portcullis.tokenStore().create(new TokenRequest(TestGate.USER, "ci", List.of(TokenScope.parse("pull:*")),
                Optional.of(Instant.now().plus(Duration.ofDays(1)))));
    }

    /** Polls one gate until a GET /v2/ with the token gets {@code expected}; how long that took. */
    private static Duration awaitStatus(TestGate gate, String token, int expected, int index) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(1).toNanos();
        int status;
        do {
            status = gate.statusFrom("127.0.0." + (20 + index), TestGate.USER, token);
            if (status == expected) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gate " + index + " answered " + status + " instead of " + expected + " for a second");
    }

    @Test
    void aTokenMadeOnOneGateWorksOnEveryGateAndRevokedOnOneIsRefusedByAllWithinASecond() throws Exception {
        IssuedToken token = create(gates.get(0));
        for (int i = 0; i < gates.size(); i++) {
            awaitStatus(gates.get(i), token.text(), 200, i);
        }

        gates.get(2).portcullis.tokenStore().revoke(token.token().id());
        for (int i = 0; i < gates.size(); i++) {
            awaitStatus(gates.get(i), token.text(), 401, i);
        }
    }

    @Test
    void withRedisGoneTokensServeFromTheLastCopyAndChangesFailSayingSo() throws Exception {
        IssuedToken token = create(gates.get(0));
        awaitStatus(gates.get(1), token.text(), 200, 1);
        redis.kill();

        assertEquals(200, gates.get(1).statusFrom("127.0.0.30", TestGate.USER, token.text()), "the last synced copy");
        TokenStore store = gates.get(0).portcullis.tokenStore();
        UserError e = assertThrows(UserError.class, () -> store.revoke(token.token().id()));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());

        redis.start(); // empty: no persistence in this test, so the token is gone for every gate once they resync
        for (int i = 0; i < gates.size(); i++) {
            awaitStatus(gates.get(i), token.text(), 401, i);
        }
    }
}
