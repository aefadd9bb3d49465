package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A gate in this JVM in front of a WireMock upstream that answers 200 to everything: what would the registry receive. */
final class GateWithWireMock implements AutoCloseable {
    final WireMockServer upstream;
    final TestGate gate;

    private GateWithWireMock(WireMockServer upstream, TestGate gate) {
        this.upstream = upstream;
        this.gate = gate;
    }

    static GateWithWireMock start(Path dir) throws IOException {
        WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        try {
            upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from upstream")));
            return new GateWithWireMock(upstream, TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:" + upstream.port())));
        } catch (IOException | RuntimeException e) {
            upstream.stop();
            throw e;
        }
    }

    /** What clients' requests made the upstream see, without the gate's readiness probes. */
    List<LoggedRequest> forwarded() {
        return ForwardedRequests.seenBy(upstream);
    }

    @Override
    public void close() {
        gate.close();
        upstream.stop();
    }
}
