package io.portcullis.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Statuses the gate makes without a body get the registry's envelope and keep their code (a 404 must not become a 500). */
class ErrorBodyHandlerTest {
    private static HttpResponse<String> answer(HttpHandler inner) throws Exception {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new ErrorBodyHandler(inner)).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 413, 418, 501})
    void aStatusWithoutABodyKeepsItsCodeAndGetsTheEnvelope(int status) throws Exception {
        HttpResponse<String> r = answer(new ResponseCodeHandler(status));
        assertEquals(status, r.statusCode());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        String code = status == 400 || status == 404 ? "UNSUPPORTED" : "UNKNOWN";
        String message = status == 400 ? "the operation is unsupported" : status == 404 ? "page not found" : "unknown error";
        assertEquals("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"detail\":null}]}", r.body());
    }

    @Test
    void knownStatusesGetTheirRegistryCode() throws Exception {
        HttpResponse<String> r = answer(new ResponseCodeHandler(503));
        assertEquals(503, r.statusCode());
        assertEquals("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\",\"detail\":null}]}", r.body());
    }
}
