package io.portcullis.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.config.SsoSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A provider whose discovery fails is asked once, not by every sign-in that follows: a flood cannot hold the workers. */
class ProviderDownTest {
    @Test
    void aFailedDiscoveryIsNotRetriedByEverySignIn() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        broken.createContext("/", exchange -> {
            asked.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        broken.start();
        try {
            URI issuer = URI.create("http://127.0.0.1:" + broken.getAddress().getPort() + "/realm");
            OidcClient client = new OidcClient(new SsoSettings(issuer, "portcullis", Path.of("unused"),
                    URI.create("https://127.0.0.1:5043/ui/sso/callback"), List.of("openid"), "groups", Duration.ofHours(1)), "s");
            OidcClient.SignInFailed first = assertThrows(OidcClient.SignInFailed.class,
                    () -> client.authorizationRequest(OidcClient.newPending()));
            assertTrue(first.getMessage().contains("discovery document"), first.getMessage());
            for (int i = 0; i < 20; i++) {
                OidcClient.SignInFailed again = assertThrows(OidcClient.SignInFailed.class,
                        () -> client.authorizationRequest(OidcClient.newPending()));
                assertTrue(again.getMessage().contains("try again shortly"), again.getMessage());
            }
            assertEquals(1, asked.get(), "one discovery request for 21 sign-ins");
        } finally {
            broken.stop(0);
        }
    }
}
