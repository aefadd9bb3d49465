package io.portcullis.e2e;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The OCI distribution-spec conformance workflows (push, pull, content discovery, content management, as in the
 * spec's conformance suite: https://github.com/opencontainers/distribution-spec/tree/main/conformance), driven
 * with curl against one base URL and repository. Each request becomes a transcript line with its status and the
 * headers clients act on, with what legitimately differs between two runs (host, repository, upload ids,
 * {@code _state} tokens) replaced by placeholders, so a run through the gate can be compared line by line with a
 * run straight against the registry.
 */
final class OciWorkflows {
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final List<String> KEY_HEADERS = List.of("Content-Type", "Content-Length", "Docker-Content-Digest",
            "Location", "Range", "Link", "Docker-Upload-UUID", "Content-Range", "Docker-Distribution-Api-Version");

    private final Curl curl;
    private final String base;
    private final String repository;
    private final String[] credentials;
    private final Path dir;
    private final List<String> transcript = new ArrayList<>();

    /** @param credentials curl arguments that authenticate, or none */
    OciWorkflows(Curl curl, String base, String repository, Path dir, String... credentials) {
        this.curl = curl;
        this.base = base;
        this.repository = repository;
        this.dir = dir;
        this.credentials = credentials;
    }

    /** Runs every workflow and returns the normalised transcript. */
    List<String> run() {
        byte[] layer = Digests.randomBytes(100_000, 7);
        String config = file("config.json", CONFIG.getBytes(StandardCharsets.UTF_8));
        String configDigest = Digests.of(CONFIG.getBytes(StandardCharsets.UTF_8));
        String layerDigest = Digests.of(layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + CONFIG.length()
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}";
        String manifestFile = file("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        String manifestDigest = Digests.of(manifest.getBytes(StandardCharsets.UTF_8));
        String missing = "sha256:" + "0".repeat(64);
        String repo = "/v2/" + repository;

        // push: a monolithic upload (POST, PUT), a chunked one (POST, PATCH, PATCH, PUT), mounts, manifests
        String location = location(step("POST", repo + "/blobs/uploads/"));
        step("PUT", location + "&digest=" + configDigest, "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + config);
        location = location(step("POST", repo + "/blobs/uploads/"));
        String chunk1 = file("chunk1", Arrays.copyOfRange(layer, 0, 60_000));
        String chunk2 = file("chunk2", Arrays.copyOfRange(layer, 60_000, layer.length));
        location = location(step("PATCH", location, "-H", "Content-Type: application/octet-stream",
                "-H", "Content-Range: 0-59999", "--data-binary", "@" + chunk1));
        step("GET", location);
        location = location(step("PATCH", location, "-H", "Content-Type: application/octet-stream",
                "-H", "Content-Range: 60000-" + (layer.length - 1), "--data-binary", "@" + chunk2));
        step("PUT", location + "&digest=" + layerDigest, "-H", "Content-Type: application/octet-stream");
        step("POST", repo + "-mounted/blobs/uploads/?mount=" + layerDigest + "&from=" + repository.replace("/", "%2F"));
        step("POST", repo + "-mounted/blobs/uploads/?mount=" + missing + "&from=" + repository.replace("/", "%2F"));
        step("PUT", repo + "/manifests/v1", "-H", "Content-Type: " + MANIFEST_TYPE, "--data-binary", "@" + manifestFile);
        step("PUT", repo + "/manifests/" + manifestDigest, "-H", "Content-Type: " + MANIFEST_TYPE, "--data-binary", "@" + manifestFile);
        for (String tag : List.of("v2", "v3", "v4")) {
            step("PUT", repo + "/manifests/" + tag, "-H", "Content-Type: " + MANIFEST_TYPE, "--data-binary", "@" + manifestFile);
        }

        // pull
        step("HEAD", repo + "/manifests/v1", "-H", "Accept: " + MANIFEST_TYPE);
        step("GET", repo + "/manifests/v1", "-H", "Accept: " + MANIFEST_TYPE);
        step("GET", repo + "/manifests/" + manifestDigest, "-H", "Accept: " + MANIFEST_TYPE);
        step("HEAD", repo + "/blobs/" + layerDigest);
        step("GET", repo + "/blobs/" + layerDigest);
        step("GET", repo + "/blobs/" + layerDigest, "-H", "Range: bytes=10-19");
        step("GET", repo + "-mounted/blobs/" + layerDigest);
        step("GET", repo + "/manifests/missing");
        step("HEAD", repo + "/blobs/" + missing);
        step("GET", repo + "/blobs/" + missing);

        // content discovery
        step("GET", repo + "/tags/list");
        step("GET", repo + "/tags/list?n=2");
        step("GET", repo + "/tags/list?n=2&last=v2");
        step("GET", repo + "/referrers/" + manifestDigest);
        step("GET", repo + "/referrers/" + manifestDigest + "?artifactType=application%2Fvnd.example");

        // content management
        step("DELETE", repo + "/manifests/v4");
        step("DELETE", repo + "/manifests/" + manifestDigest);
        step("GET", repo + "/manifests/" + manifestDigest);
        step("GET", repo + "/manifests/v1");
        step("DELETE", repo + "/blobs/" + configDigest);
        step("HEAD", repo + "/blobs/" + configDigest);
        step("DELETE", repo + "/blobs/" + missing);
        location = location(step("POST", repo + "/blobs/uploads/"));
        step("DELETE", location);
        step("GET", location);

        errorStatuses(repo, missing, manifestFile);
        return transcript;
    }

    /**
     * Every error status the distribution spec names, each for every kind of thing it applies to (401 is the gate's
     * alone and tested elsewhere). Where the registry's router answers (no route, redirects), its body is Go's plain
     * text and the gate's the registry's JSON envelope, so only status and Location are compared.
     */
    private void errorStatuses(String repo, String missing, String manifestFile) {
        // 400: invalid manifest, digest mismatch, bad digest in a mount or a blob path
        step("PUT", repo + "/manifests/bad", "-H", "Content-Type: " + MANIFEST_TYPE, "--data-binary", "{not json");
        String location = location(step("POST", repo + "/blobs/uploads/"));
        step("PUT", location + "&digest=" + missing, "-H", "Content-Type: application/octet-stream", "--data-binary", "other bytes");
        step("GET", repo + "/blobs/sha256:zz");
        // 404 from the registry's handlers: unknown repository, manifest, blob, upload
        step("GET", "/v2/nothing/here/tags/list");
        step("GET", repo + "/manifests/nothing");
        step("GET", repo + "/blobs/" + missing);
        step("GET", repo + "/blobs/uploads/00000000-0000-0000-0000-000000000000");
        // 404 from its router: the conformance suite's nonexistent manifest, and every other kind of bad path
        routerAnswer("GET", repo + "/manifests/.INVALID_MANIFEST_NAME");
        routerAnswer("HEAD", repo + "/manifests/.INVALID_MANIFEST_NAME");
        routerAnswer("DELETE", repo + "/manifests/.INVALID_MANIFEST_NAME");
        routerAnswer("GET", repo + "/blobs/not-a-digest");
        routerAnswer("PATCH", repo + "/blobs/uploads/not%20an%20id");
        routerAnswer("GET", "/v2/-bad/name_/tags/list");
        routerAnswer("GET", repo + "/something/else");
        routerAnswer("GET", "/v1/_ping");
        routerAnswer("GET", "/nothing");
        // 301 from its router: dot segments, '//', a trailing slash too many or too few (the query kept)
        routerAnswer("GET", repo + "/../app2/tags/list?n=1");
        routerAnswer("GET", repo + "//tags/list");
        routerAnswer("GET", repo + "/tags/list/");
        routerAnswer("POST", repo + "/blobs/uploads");
        routerAnswer("GET", "/v2");
        // 405: a method the endpoint does not have
        step("POST", repo + "/tags/list");
        step("PATCH", repo + "/manifests/v1", "-H", "Content-Type: " + MANIFEST_TYPE, "--data-binary", "@" + manifestFile);
        // 416 where the spec wants it: a chunk that does not continue the upload (2.8 gives its own answer)
        location = location(step("POST", repo + "/blobs/uploads/"));
        step("PATCH", location, "-H", "Content-Type: application/octet-stream", "-H", "Content-Range: 5-7", "--data-binary", "abc");
    }

    /** A request the registry's router answers: status and Location only (bodies differ by design, see above). */
    private void routerAnswer(String method, String target) {
        List<String> all = new ArrayList<>(Arrays.asList(credentials));
        all.add("--path-as-is");
        if (method.equals("HEAD")) {
            all.add("-I");
        }
        Curl.Response r = curl.exchange(method.equals("HEAD") ? "GET" : method, base + target, all.toArray(String[]::new));
        StringBuilder line = new StringBuilder(method).append(' ').append(normalise(target)).append(" -> ").append(r.status());
        for (String value : r.headers("Location")) {
            line.append("\n    Location: ").append(normalise(value));
        }
        transcript.add(line.toString());
    }

    /** Sends one request (a path under the base, or an absolute Location) and records it. */
    private Curl.Response step(String method, String target, String... args) {
        String url = target.startsWith("http") ? target : base + target;
        List<String> all = new ArrayList<>(Arrays.asList(credentials));
        all.addAll(Arrays.asList(args));
        Curl.Response r = curl.exchange(method, url, all.toArray(String[]::new));
        StringBuilder line = new StringBuilder(method).append(' ').append(normalise(target)).append(" -> ").append(r.status());
        for (String header : KEY_HEADERS) {
            for (String value : r.headers(header)) {
                line.append("\n    ").append(header).append(": ").append(normalise(value));
            }
        }
        if (!method.equals("HEAD") && r.body().length < 4096) {
            line.append("\n    body: ").append(normalise(r.bodyText().strip()));
        } else if (!method.equals("HEAD")) {
            line.append("\n    body: ").append(Digests.of(r.body()));
        }
        transcript.add(line.toString());
        return r;
    }

    private static String location(Curl.Response r) {
        List<String> locations = r.headers("Location");
        if (locations.size() != 1) {
            throw new AssertionError("expected a Location:\n" + r);
        }
        return locations.get(0);
    }

    /** Replaces what differs between two runs by design. */
    private String normalise(String s) {
        String host = base.replaceFirst("^https?://", "");
        return s.replace(base, "BASE").replace("http://" + host, "BASE").replace("https://" + host, "BASE")
                .replace(repository, "REPO").replace(repository.replace("/", "%2F"), "REPO")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID")
                .replaceAll("_state=[^&\\s>]*", "_state=STATE");
    }

    private String file(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
