package io.portcullis.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web catalog's delete form is read without holding a thread: clients that send the head of a POST and then
 * trickle (or never send) its body must not take the worker threads that every page and every password check needs.
 */
class WebCatalogSlowFormTest {
    private static final int WORKERS = 2;

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();

    @Test
    void unfinishedFormsHoldNoWorker() throws Exception {
        wiremock.server.stubFor(get(urlMatching("/v2/_catalog.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"repositories\":[\"team/app\"]}")));
        TestGate gate = wiremock.gate(dir, Map.of("worker-threads", Integer.toString(WORKERS)));
        List<SSLSocket> held = new ArrayList<>();
        try {
            // three times as many unfinished forms as there are workers, each with its head and a few body bytes
            for (int i = 0; i < 3 * WORKERS; i++) {
                SSLSocket s = (SSLSocket) gate.clientTls().getSocketFactory().createSocket("127.0.0.1", gate.port());
                held.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("POST /ui/delete HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: " + TestGate.basic(TestGate.USER, TestGate.PASSWORD) + "\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=te")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // a page for somebody else still renders while all of them wait for their bodies
            HttpResponse<String> page = gate.client().send(HttpRequest.newBuilder(gate.uri("/ui/"))
                    .header("Authorization", TestGate.basic(TestGate.USER, TestGate.PASSWORD))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("team/app"), page.body());
        } finally {
            for (SSLSocket s : held) {
                s.close();
            }
        }
    }
}
