package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Talks to the registry directly, behind the gate's back: puts blobs where a test needs them and answers what the
 * registry really holds afterwards, so a test can prove that a refused request left nothing behind.
 */
final class RegistryBlobs {
    private final String registry;
    private final Path dir;
    private final Curl curl = Curl.plain();
    private int files;

    RegistryBlobs(String registryUrl, Path dir) {
        this.registry = registryUrl;
        this.dir = dir;
    }

    /** A blob file of its own for each caller, so every test can look for exactly its blob. */
    Blob newBlob(long seed) {
        Path file = dir.resolve("blob-" + (files++) + ".bin");
        try {
            Files.write(file, Digests.randomBytes(4096, seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Blob(file, Digests.of(file));
    }

    /** Uploads {@code blob} into {@code repository} in two steps (POST, then PUT with the digest). */
    void put(String repository, Blob blob) {
        Curl.Response start = curl.exchange("POST", registry + "/v2/" + repository + "/blobs/uploads/");
        assertEquals(202, start.status(), start::toString);
        String location = start.header("Location");
        Curl.Response done = curl.exchange("PUT", location + "&digest=" + blob.digest(),
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + blob.file());
        assertEquals(201, done.status(), done::toString);
    }

    /** Whether the registry serves {@code digest} in {@code repository}. */
    boolean holds(String repository, String digest) {
        int status = curl.exchange("HEAD", registry + "/v2/" + repository + "/blobs/" + digest).status();
        if (status != 200 && status != 404) {
            throw new AssertionError("unexpected status " + status + " for a blob HEAD in " + repository);
        }
        return status == 200;
    }

    /** The registry's catalog, straight from it. */
    String catalog() {
        Curl.Response r = curl.exchange("GET", registry + "/v2/_catalog?n=1000");
        assertEquals(200, r.status(), r::toString);
        return r.bodyText();
    }

    record Blob(Path file, String digest) {
        byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
