package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A WireMock registry stand-in answering 200 "{}" to anything, and gates started in front of it; closes both. */
final class WireMockUpstream implements AutoCloseable {
    final WireMockServer server;
    private TestGate gate;

    WireMockUpstream() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    /** A gate forwarding to this upstream, with these extra serve flags; closed with this upstream. */
    TestGate gate(Path dir, Map<String, String> flags) throws Exception {
        Map<String, String> all = new HashMap<>(flags);
        all.put("upstream", "http://127.0.0.1:" + server.port());
        gate = TestGate.start(dir, all);
        return gate;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (gate != null) {
            gate.close();
        }
        server.stop();
    }
}
