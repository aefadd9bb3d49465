package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v2/_catalog} through the gate lists only what the user may pull, paging the registry (two answers
 * here, joined by the registry's own Link) until a page of {@code n} visible names is full, and answering with
 * {@code n}, {@code last} and {@code Link} as the registry does.
 */
class FilteredCatalogTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    WireMockServer upstream;
    TestGate gate;
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        // the registry's own pages: a/keep b/drop c/keep | d/drop e/keep f/keep
        upstream.stubFor(get(urlMatching("/v2/_catalog\\?n=[0-9]+")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("Link", "</v2/_catalog?last=c%2Fkeep&n=100>; rel=\"next\"")
                .withBody("{\"repositories\":[\"a/keep\",\"b/drop\",\"c/keep\"]}")));
        upstream.stubFor(get(urlMatching("/v2/_catalog\\?n=[0-9]+&last=c%2Fkeep")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"repositories\":[\"d/drop\",\"e/keep\",\"f/keep\"]}")));
        Path rules = Files.writeString(dir.resolve("access.conf"), "allow " + TestGate.USER + " pull a/** c/** e/** f/**\n");
        gate = wiremock.gate(dir, Map.of("access", rules.toString()));
        client = gate.client();
    }

    private HttpResponse<String> catalog(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(gate.uri("/v2/_catalog" + query)).timeout(Duration.ofSeconds(20))
                .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesHoldNVisibleNamesAcrossTheRegistrysOwnPages() throws Exception {
        HttpResponse<String> first = catalog("?n=2");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("{\"repositories\":[\"a/keep\",\"c/keep\"]}\n", first.body());
        assertEquals(Optional.of("</v2/_catalog?last=c%2Fkeep&n=2>; rel=\"next\""), first.headers().firstValue("Link"));

        HttpResponse<String> second = catalog("?last=c%2Fkeep&n=2");
        assertEquals("{\"repositories\":[\"e/keep\",\"f/keep\"]}\n", second.body());
        assertTrue(second.headers().firstValue("Link").isEmpty(), "the last page has no Link");
        assertTrue(second.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void withoutNTheWholeVisibleListComesInOnePage() throws Exception {
        HttpResponse<String> all = catalog("");
        assertEquals("{\"repositories\":[\"a/keep\",\"c/keep\",\"e/keep\",\"f/keep\"]}\n", all.body());
        assertTrue(all.headers().firstValue("Link").isEmpty());
    }

    @Test
    void aPageThatEndsExactlyAtTheLastVisibleNameHasNoLink() throws Exception {
        HttpResponse<String> r = catalog("?n=4");
        assertEquals("{\"repositories\":[\"a/keep\",\"c/keep\",\"e/keep\",\"f/keep\"]}\n", r.body());
        assertTrue(r.headers().firstValue("Link").isEmpty(), "no empty page to follow");
    }
}
