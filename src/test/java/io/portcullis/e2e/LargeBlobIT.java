package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 1 GiB layer through a gate limited to a 64 MiB heap: the gate must stream, not buffer. The same push and
 * pull straight against the registry gives the baseline; the four rates are printed on one line starting
 * with {@code LARGE-BLOB-TIMINGS}.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class LargeBlobIT {
    private static final long SIZE = 1024L * 1024 * 1024;
    @RegisterExtension
    static final Stack stack = Stack.fixture("large", "64m", dir -> java.util.List.of());
    private static Path blob;
    private static String digest;

    @BeforeAll
    static void up() {
        blob = stack.dir().resolve("big.bin");
        digest = Digests.writeRandom(blob, SIZE, 20240601L);
    }

    /** POST, then one streamed PUT ?digest= (curl -T): the registry verifies the digest of what arrived. */
    private static double push(Curl curl, String base, String repo, String... auth) {
        Curl.Response start = curl.exchange("POST", base + "/v2/" + repo + "/blobs/uploads/", concat(auth, "-H", "Content-Length: 0"));
        assertEquals(202, start.status(), () -> start + "\n" + stack.logs());
        String location = start.header("Location");
        if (location.startsWith("/")) {
            location = base + location;
        }
        String put = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        Curl.Response done = curl.exchange("PUT", put,
                concat(auth, "-T", blob.toString(), "-H", "Content-Type: application/octet-stream"));
        assertEquals(201, done.status(), () -> done + "\n" + stack.logs());
        assertEquals(digest, done.header("Docker-Content-Digest"));
        return done.timeTotalSeconds();
    }

    private static double pull(Curl curl, String base, String repo, String... auth) throws IOException {
        Path target = stack.dir().resolve("pulled.bin");
        try {
            Curl.Response r = curl.exchange("GET", base + "/v2/" + repo + "/blobs/" + digest, target, auth);
            assertEquals(200, r.status(), () -> r + "\n" + stack.logs());
            assertEquals(SIZE, Files.size(target), "size of the pulled blob");
            assertEquals(digest, Digests.of(target), "sha256 of the pulled blob");
            return r.timeTotalSeconds();
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String rate(double seconds) {
        return String.format(Locale.ROOT, "%.1f MiB/s (%.1f s)", SIZE / 1048576.0 / seconds, seconds);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void oneGibPushAndPullThroughA64MibHeapGateAndDirect() throws IOException {
        Curl gateCurl = stack.curl().timeout(Duration.ofMinutes(8));
        Curl directCurl = Curl.plain().timeout(Duration.ofMinutes(8));
        String[] auth = {"-u", Users.ALICE + ":" + Users.ALICE_PW};
        String gate = stack.gate().url();
        String registry = stack.registry().url();

        double directPush = push(directCurl, registry, "direct/big");
        double gatePush = push(gateCurl, gate, "gated/big", auth);
        double directPull = pull(directCurl, registry, "direct/big");
        double gatePull = pull(gateCurl, gate, "gated/big", auth);

        System.out.println("LARGE-BLOB-TIMINGS 1 GiB: gate(-Xmx64m) push " + rate(gatePush) + ", gate pull " + rate(gatePull)
                + ", direct push " + rate(directPush) + ", direct pull " + rate(directPull));
        assertTrue(stack.gate().isAlive(), "the gate died during the transfers:\n" + stack.logs());
        assertFalse(stack.gate().log().contains("OutOfMemoryError"), stack::logs);
    }
}
