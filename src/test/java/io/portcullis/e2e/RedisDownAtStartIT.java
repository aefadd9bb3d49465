package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.DaemonProcess;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real jar with --redis naming a port where nothing listens: it starts anyway, says so, serves valid users, and
 * /readyz reports the degraded mode while counting the gate as ready; then a Redis appears there and the gate joins it.
 */
@NeedsTools({"docker-registry", "redis-server", "htpasswd", "curl"})
class RedisDownAtStartIT {
    @Test
    void theGateStartsServesAndReportsThenJoinsRedisWhenItAppears() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        try (Stack stack = Stack.start("redis-down", "256m", dir -> List.of("--redis", "redis://127.0.0.1:" + port))) {
            stack.gate().awaitLog(Pattern.compile("Redis at redis://127\\.0\\.0\\.1:" + port + " does not answer"), 0, Duration.ofSeconds(10));
            Curl.Response ready = stack.curl().exchange("GET", stack.gate().url() + "/readyz");
            assertEquals(200, ready.status(), ready::toString);
            assertTrue(Json.read(ready.bodyText()).path("redis").asText().startsWith("unreachable"), ready.bodyText());
            assertEquals(200, stack.curl().exchange("GET", stack.gate().url() + "/v2/", "-u", Users.ALICE + ":" + Users.ALICE_PW).status());

            Path redisDir = stack.dir().resolve("redis");
            java.nio.file.Files.createDirectories(redisDir);
            DaemonProcess redis = new DaemonProcess("redis-server", List.of("redis-server", "--bind", "127.0.0.1", "--port",
                    String.valueOf(port), "--save", "", "--appendonly", "no"), redisDir.resolve("redis.log"));
            try (redis) {
                redis.start();
                stack.gate().awaitLog(Pattern.compile("Redis at .* answers again"), 0, Duration.ofSeconds(15));
                assertTrue(Poll.until(() -> "connected".equals(Json.read(stack.curl()
                        .exchange("GET", stack.gate().url() + "/readyz").bodyText()).path("redis").asText()), Duration.ofSeconds(10)));
            }
        }
    }
}
