package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.DaemonProcess;
import io.portcullis.testing.Digests;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** SIGTERM while a layer is being uploaded: the upload finishes and verifies, then the gate exits 0. */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class DrainIT {

    @Test
    void uploadInFlightDuringSigtermCompletes() throws Exception {
        try (Stack stack = Stack.start("drain")) {
            Path blob = stack.dir().resolve("layer.bin");
            String digest = Digests.writeRandom(blob, 24L * 1024 * 1024, 7);
            Curl curl = stack.curl().timeout(Duration.ofSeconds(60));
            String creds = Users.ALICE + ":" + Users.ALICE_PW;
            Curl.Response started = curl.exchange("POST", stack.gate().url() + "/v2/drain/app/blobs/uploads/", "-u", creds);
            assertEquals(202, started.status(), started::toString);
            String location = started.header("Location");

            Path out = stack.dir().resolve("upload.out");
            try (DaemonProcess upload = new DaemonProcess("curl upload", List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "--cacert", stack.pki().caCert().toString(), "-u", creds, "--limit-rate", "6M",
                    "-T", blob.toString(), location + "&digest=" + digest), out)) {
                upload.start();
                assertTrue(Poll.until(() -> uploadBytesAtRegistry(stack.registry().dir()) > 0, Duration.ofSeconds(20)),
                        () -> "the upload never reached the registry\n" + stack.logs());

                int exit = stack.gate().stop(Duration.ofSeconds(60));

                assertTrue(upload.awaitExit(Duration.ofSeconds(60)), "curl did not finish");
                assertEquals("201", Files.readString(out, StandardCharsets.UTF_8).strip(), () -> "upload result\n" + stack.logs());
                assertEquals(0, exit, () -> "gate exit code\n" + stack.logs());
                assertTrue(stack.gate().log().contains("every request in flight finished"), stack::logs);
            }
            Curl.Response fetched = Curl.plain().timeout(Duration.ofSeconds(60))
                    .exchange("GET", stack.registry().url() + "/v2/drain/app/blobs/" + digest);
            assertEquals(200, fetched.status());
            assertEquals(digest, Digests.of(fetched.body()), "the registry holds exactly the bytes sent");
        }
    }

    /** Bytes the registry has written for uploads still in progress (its _uploads/…/data files). */
    private static long uploadBytesAtRegistry(Path registryDir) {
        try (Stream<Path> files = Files.walk(registryDir)) {
            List<Path> data = files.filter(p -> p.getFileName().toString().equals("data") && p.toString().contains("/_uploads/")).toList();
            long total = 0;
            for (Path p : data) {
                total += Files.size(p);
            }
            return total;
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
