package io.portcullis.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import io.portcullis.api.Grammar;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The gate's own reader of the registry, for the web catalog and the filtered {@code _catalog}: the JDK HTTP
 * client straight to the upstream, at most {@code concurrency} requests at once. Manifests and configs are
 * cached by digest (content-addressed, so never stale); tag lists and tag → digest answers only for
 * {@code tagTtl}, after which a tag is asked again (conditionally, see {@link #manifest}). Calls block: run them on a worker thread, never on an IO thread.
 */
public final class RegistryClient {
    static final String MANIFEST_TYPES = String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    /**
     * The largest manifest, config, tag list or catalog page read. Real ones are a few KiB (a config with a long
     * history some 100 KiB); a larger "config" is something a pusher stored to make the gate read it, so it is
     * refused from its Content-Length, or once this many bytes were read, never buffered whole.
     */
    static final int MAX_DOCUMENT = 1024 * 1024;
    /**
     * Bytes of documents being read at once, across all pages: with -Xmx32m in the image, sixteen concurrent
     * 1 MiB reads (plus their strings and parsed trees) would not fit, so reads wait here for their share.
     */
    static final int READ_BUDGET = 4 * MAX_DOCUMENT;
    /**
     * Heap for cached documents, weighed by their size in bytes (the parsed tree takes a few times more):
     * some thousand ordinary manifests and configs, so a 200-tag page is read once, while a flood of large
     * configs evicts itself instead of filling a 32 MiB heap.
     */
    static final long CACHE_BYTES = 2L * 1024 * 1024;

    private final URI upstream;
    /**
     * Built on the first catalog request, not at start: building the JDK client parses the ~140 certificates of
     * the default trust store and starts its selector thread, ~80 ms of start-up and a thread plus their heap
     * for every gate whose catalog nobody opens (bench/start-probe, commit message).
     */
    private volatile HttpClient http;
    private final Duration timeout;
    private final Semaphore slots;
    private final Semaphore readBudget = new Semaphore(READ_BUDGET);
    private final Cache<String, Manifest> manifests = Caffeine.newBuilder().maximumWeight(CACHE_BYTES)
            .weigher((String digest, Manifest m) -> (int) Math.min(Integer.MAX_VALUE, m.size())).build();
    private final Cache<String, Sized> configs = Caffeine.newBuilder().maximumWeight(CACHE_BYTES)
            .weigher((String digest, Sized c) -> c.bytes()).build();
    private final Cache<String, List<String>> tags;
    private final Cache<String, String> tagDigests;
    /**
     * The digest each tag had when last asked, kept past {@code tagTtl} only as a validator: the next resolution
     * still asks the registry, with {@code If-None-Match}, and distribution answers 304 from the tag's link file
     * without reading the manifest (its handler checks the ETag before {@code manifests.Get}). Measured on this
     * machine for 200 tags: 195 ms of registry CPU instead of 233-261 ms for GET or HEAD, no body for the gate
     * to read or parse. A registry that ignores the header answers 200 with the manifest, which is used as is.
     */
    private final Cache<String, String> lastDigests;

    public RegistryClient(URI upstream, Duration timeout, int concurrency, Duration tagTtl) {
        this.upstream = upstream;
        this.timeout = timeout;
        this.slots = new Semaphore(concurrency);
        this.tags = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(tagTtl).build();
        this.tagDigests = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(tagTtl).build();
        this.lastDigests = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** One answer from the registry; {@code status} 0 never happens (failures throw {@link RegistryUnavailable}). */
    record Reply(int status, String body, int bytes, HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    /** A parsed document and the size of its source, for the cache's weight. */
    private record Sized(Object json, int bytes) {
    }

    /** One page of the registry's own, unfiltered catalog. */
    public record CatalogPage(List<String> repositories, boolean more) {
    }

    public CatalogPage catalog(int n, String last) {
        String query = "?n=" + n + (last == null || last.isEmpty() ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        Reply a = send("GET", "/v2/_catalog" + query, null, null);
        expectOk(a, "the repository list");
        List<String> repositories = JsonMembers.strings(json(a), "repositories");
        return new CatalogPage(repositories, !a.header("Link").isEmpty());
    }

    /** The repository's tags, sorted as the registry sorts them; empty when it has none (or does not exist). */
    public List<String> tags(String repository) {
        checkPath(repository, null);
        return tags.get(repository, r -> {
            Reply a = send("GET", "/v2/" + r + "/tags/list", null, null);
            if (a.status == 404) {
                return List.of();
            }
            expectOk(a, "the tags of " + r);
            return JsonMembers.strings(json(a), "tags");
        });
    }

    /**
     * The manifest a tag or digest names; a digest's is cached for good. A tag is resolved again once its answer is
     * older than {@code tagTtl}: with the digest it had last time as {@code If-None-Match}, so an unchanged tag costs
     * a 304 and its manifest comes from the digest cache.
     */
    public Manifest manifest(String repository, String reference) {
        checkPath(repository, reference);
        boolean byTag = !reference.contains(":");
        String key = repository + ":" + reference;
        String digest = byTag ? tagDigests.getIfPresent(key) : reference;
        if (digest != null) {
            Manifest cached = manifests.getIfPresent(digest);
            if (cached != null) {
                return cached;
            }
        }
        // held here: the cache may evict it while the registry is asked whether it is still the tag's
        Manifest known = byTag ? Optional.ofNullable(lastDigests.getIfPresent(key)).map(manifests::getIfPresent).orElse(null) : null;
        Reply a = send("GET", "/v2/" + repository + "/manifests/" + reference, MANIFEST_TYPES,
                known == null ? null : "\"" + known.digest() + "\"");
        if (a.status == 304 && known != null) {
            tagDigests.put(key, known.digest());
            return known;
        }
        if (a.status == 404) {
            throw new RegistryUnavailable(404, "the registry has no manifest " + reference + " in " + repository);
        }
        expectOk(a, "the manifest " + reference + " of " + repository);
        String got = a.header("Docker-Content-Digest");
        if (got.isEmpty()) {
            got = reference;
        }
        Manifest m = new Manifest(got, a.header("Content-Type"), a.bytes(), json(a));
        if (Grammar.isDigest(got)) {
            manifests.put(got, m);
            if (byTag) {
                tagDigests.put(key, got);
                lastDigests.put(key, got);
            }
        }
        return m;
    }

    /** An image config (a small JSON blob), cached by digest. */
    public Object config(String repository, String digest) {
        checkPath(repository, digest);
        return configs.get(digest, d -> {
            Reply a = send("GET", "/v2/" + repository + "/blobs/" + d, null, null);
            expectOk(a, "the image config " + d);
            return new Sized(json(a), a.bytes());
        }).json();
    }

    /** Deletes a manifest by digest (and with it every tag on it); the registry's status. */
    public int deleteManifest(String repository, String digest) {
        checkPath(repository, digest);
        Reply a = send("DELETE", "/v2/" + repository + "/manifests/" + digest, null, null);
        tags.invalidate(repository);
        tagDigests.asMap().keySet().removeIf(k -> k.startsWith(repository + ":"));
        lastDigests.asMap().keySet().removeIf(k -> k.startsWith(repository + ":"));
        return a.status;
    }

    /** Bytes of the documents the caches hold now, by their weight (for tests of the bound). */
    long cachedDocumentBytes() {
        manifests.cleanUp();
        configs.cleanUp();
        return manifests.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L)
                + configs.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /**
     * Names and references go into request paths; those read from registry documents (an index's platform digests,
     * a config digest) are untrusted, and a "digest" with {@code /..} in it would read another repository's data.
     */
    private static void checkPath(String repository, String reference) {
        if (!Grammar.isRepository(repository) || (reference != null && !Grammar.isTag(reference) && !Grammar.isDigest(reference))) {
            throw new RegistryUnavailable(502, "the registry named something that is not a valid repository, tag or digest");
        }
    }

    private static Object json(Reply a) {
        try {
            return JsonReader.parse(a.body);
        } catch (IllegalArgumentException e) {
            throw new RegistryUnavailable(502, "the registry sent something that is not JSON: " + e.getMessage());
        }
    }

    private static void expectOk(Reply a, String what) {
        if (a.status != 200) {
            throw new RegistryUnavailable(a.status, "the registry answered " + a.status + " when asked for " + what);
        }
    }

    private Reply send(String method, String pathAndQuery, String accept, String ifNoneMatch) {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(pathAndQuery)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailable(503, "interrupted while waiting for the registry");
        }
        try {
            HttpResponse<InputStream> r = http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                return read(r.statusCode(), body, r.headers());
            }
        } catch (IOException e) {
            throw new RegistryUnavailable(503, "the registry cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailable(503, "interrupted while reading from the registry");
        } finally {
            slots.release();
        }
    }

    /** The answer with its body as text, at most {@link #MAX_DOCUMENT} bytes, read within the shared {@link #READ_BUDGET}. */
    private Reply read(int status, InputStream body, HttpHeaders headers) throws IOException, InterruptedException {
        long declared = headers.firstValueAsLong("Content-Length").orElse(-1);
        if (declared > MAX_DOCUMENT) {
            throw tooLarge();
        }
        int share = declared >= 0 ? (int) declared : MAX_DOCUMENT;
        readBudget.acquire(share);
        try {
            byte[] bytes = body.readNBytes(MAX_DOCUMENT + 1);
            if (bytes.length > MAX_DOCUMENT) {
                throw tooLarge();
            }
            return new Reply(status, new String(bytes, StandardCharsets.UTF_8), bytes.length, headers);
        } finally {
            readBudget.release(share);
        }
    }

    private static RegistryUnavailable tooLarge() {
        return new RegistryUnavailable(502, "the registry sent a document larger than " + MAX_DOCUMENT
                + " bytes; the catalog does not read documents that large");
    }

}
