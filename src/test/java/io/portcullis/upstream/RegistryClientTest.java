package io.portcullis.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalog reads documents that users pushed (an image "config" is any blob a manifest names): what it reads
 * and keeps must stay bounded whatever was pushed, since the gate runs with a 32 MiB heap.
 */
class RegistryClientTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String CONFIG_PATH = "/v2/team/app/blobs/" + DIGEST;

    private WireMockServer registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        client = new RegistryClient(URI.create("http://127.0.0.1:" + registry.port()), Duration.ofSeconds(10), 4,
                Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @Test
    void aTagIsAskedAgainAfterItsTtlWithTheDigestItHadAsValidator() {
        RegistryClient uncached = new RegistryClient(URI.create("http://127.0.0.1:" + registry.port()), Duration.ofSeconds(10), 4,
                Duration.ZERO);
        String first = "sha256:" + "1".repeat(64);
        String second = "sha256:" + "2".repeat(64);
        String path = "/v2/team/app/manifests/latest";
        registry.stubFor(get(urlEqualTo(path)).atPriority(5).willReturn(manifest(first, "one")));
        assertEquals("one", JsonMembers.string(uncached.manifest("team/app", "latest").json(), "note"));

        // unchanged: the registry answers 304 to the validator and the manifest comes from the digest cache
        registry.stubFor(get(urlEqualTo(path)).atPriority(1).withHeader("If-None-Match", equalTo("\"" + first + "\""))
                .willReturn(aResponse().withStatus(304)));
        Manifest again = uncached.manifest("team/app", "latest");
        assertEquals(first, again.digest());
        assertEquals("one", JsonMembers.string(again.json(), "note"));
        registry.verify(2, getRequestedFor(urlEqualTo(path)));
        registry.verify(1, getRequestedFor(urlEqualTo(path)).withHeader("If-None-Match", equalTo("\"" + first + "\"")));

        // moved: the registry's 200 carries the new manifest, and the tag resolves to it, not to the cached one
        registry.resetAll();
        registry.stubFor(get(urlEqualTo(path)).willReturn(manifest(second, "two")));
        Manifest moved = uncached.manifest("team/app", "latest");
        assertEquals(second, moved.digest());
        assertEquals("two", JsonMembers.string(moved.json(), "note"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder manifest(String digest, String note) {
        return aResponse().withStatus(200).withHeader("Docker-Content-Digest", digest)
                .withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .withBody("{\"schemaVersion\":2,\"note\":\"" + note + "\"}");
    }

    @Test
    void anOrdinaryConfigIsReadAndCachedByDigest() {
        registry.stubFor(get(urlEqualTo(CONFIG_PATH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"config\":{\"Labels\":{\"a\":\"b\"}}}")));
        Object first = client.config("team/app", DIGEST);
        assertEquals(Map.of("a", "b"), JsonMembers.object(JsonMembers.object(first, "config"), "Labels"));
        client.config("team/app", DIGEST);
        assertEquals(1, registry.getAllServeEvents().size(), "content-addressed: read once");
    }

    @Test
    void aConfigLargerThanTheCapIsRefusedFromItsLength() {
        registry.stubFor(get(urlEqualTo(CONFIG_PATH)).willReturn(aResponse().withStatus(200)
                .withBody("\"" + "x".repeat(RegistryClient.MAX_DOCUMENT) + "\"")));
        RegistryUnavailable e = assertThrows(RegistryUnavailable.class, () -> client.config("team/app", DIGEST));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void aChunkedConfigIsCutAtTheCapNotBufferedWhole() {
        // no Content-Length: the reader must stop at the cap by itself
        registry.stubFor(get(urlEqualTo(CONFIG_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Transfer-Encoding", "chunked")
                .withBody("\"" + "x".repeat(3 * RegistryClient.MAX_DOCUMENT) + "\"")));
        RegistryUnavailable e = assertThrows(RegistryUnavailable.class, () -> client.config("team/app", DIGEST));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void largeConfigsEvictEachOtherInsteadOfFillingTheHeap() {
        // each just under the cap: together far more than the cache may hold
        String big = "{\"pad\":\"" + "x".repeat(RegistryClient.MAX_DOCUMENT - 20) + "\"}";
        int count = (int) (3 * RegistryClient.CACHE_BYTES / RegistryClient.MAX_DOCUMENT);
        for (int i = 0; i < count; i++) {
            String digest = "sha256:" + String.format("%064x", i);
            registry.stubFor(get(urlEqualTo("/v2/team/app/blobs/" + digest)).willReturn(aResponse().withStatus(200).withBody(big)));
            client.config("team/app", digest);
        }
        assertTrue(client.cachedDocumentBytes() <= RegistryClient.CACHE_BYTES,
                () -> "cached " + client.cachedDocumentBytes() + " bytes, bound " + RegistryClient.CACHE_BYTES);
    }
}
