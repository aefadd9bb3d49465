package io.portcullis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several gates in this JVM sharing one real redis-server, each with its own directory (state, htpasswd,
 * certificate) and all forwarding to one WireMock upstream: the set-up of the shared-state tests. The gates are
 * closed by the {@link WireMockGate} extension, Redis by {@link #close}.
 */
public final class RedisGates implements AutoCloseable {
    public final RedisProcess redis;
    public final List<TestGate> gates;

    private RedisGates(RedisProcess redis, List<TestGate> gates) {
        this.redis = redis;
        this.gates = List.copyOf(gates);
    }

    /** @param flags more serve flags for every gate; {@code redis} is set here */
    public static RedisGates start(WireMockGate upstream, Path dir, int count, Map<String, String> flags) throws IOException {
        RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
        List<TestGate> gates = new ArrayList<>();
        Map<String, String> all = new HashMap<>(flags);
        all.put("redis", redis.url());
        try {
            for (int i = 0; i < count; i++) {
                gates.add(upstream.gate(Files.createDirectories(dir.resolve("gate" + i)), all));
            }
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
        return new RedisGates(redis, gates);
    }

    public TestGate get(int i) {
        return gates.get(i);
    }

    @Override
    public void close() {
        redis.close();
    }
}
