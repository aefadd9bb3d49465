package io.portcullis.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.portcullis.observe.Readiness;
import java.util.List;

/** What clients' requests made a WireMock upstream see: the gate's own readiness probe is left out. */
public final class ForwardedRequests {
    private ForwardedRequests() {
    }

    public static List<LoggedRequest> seenBy(WireMockServer upstream) {
        return upstream.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> !Readiness.USER_AGENT.equals(r.getHeader("User-Agent")))
                .toList();
    }
}
