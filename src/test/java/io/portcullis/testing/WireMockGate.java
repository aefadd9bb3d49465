package io.portcullis.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The "gate in front of WireMock" fixture, a JUnit 5 extension: a WireMock registry stand-in answering 200 to
 * anything, and gates ({@link TestGate}, started as serve starts them) forwarding to it; all closed after each test.
 * Register it on an instance field: {@code @RegisterExtension final WireMockGate upstream = new WireMockGate();}
 * (it is also AutoCloseable, for a try-with-resources of its own).
 */
public final class WireMockGate implements AfterEachCallback, AutoCloseable {
    public final WireMockServer server;
    private final List<TestGate> gates = new ArrayList<>();

    public WireMockGate() {
        this("{}");
    }

    /** @param body what the stand-in answers to every request, with 200; null for no answer (each test stubs its own) */
    public WireMockGate(String body) {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
        server.start();
        if (body != null) {
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(body)));
        }
    }

    /** A stand-in that answers only what the test stubs (WireMock's 404 otherwise). */
    public static WireMockGate bare() {
        return new WireMockGate(null);
    }

    /** A gate forwarding to this upstream, with these extra serve flags; closed after the test. */
    public TestGate gate(Path dir, Map<String, String> flags) throws IOException {
        Map<String, String> all = new HashMap<>(flags);
        all.put("upstream", "http://127.0.0.1:" + server.port());
        TestGate gate = TestGate.start(dir, all);
        gates.add(gate);
        return gate;
    }

    public int port() {
        return server.port();
    }

    /** What clients' requests made the upstream see, without the gate's readiness probes. */
    public List<LoggedRequest> forwarded() {
        return ForwardedRequests.seenBy(server);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        gates.forEach(TestGate::close);
        gates.clear();
        server.stop();
    }
}
