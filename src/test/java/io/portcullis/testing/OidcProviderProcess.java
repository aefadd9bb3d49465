package io.portcullis.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenID Connect provider as a process of its own: mock-oauth2-server's standalone main (from the test
 * classpath) on a free loopback port, with its interactive login page, where a browser types the user name and
 * the claims (groups) the ID token will carry. Issuer: {@code http://127.0.0.1:PORT/default}.
 */
public final class OidcProviderProcess extends ClassDaemon {
    private int port;

    private OidcProviderProcess(String name) {
        super(name);
    }

    public static OidcProviderProcess fixture(String name) {
        return new OidcProviderProcess(name);
    }

    @Override
    public DaemonProcess prepare(Path dir) {
        port = FreePorts.next();
        return new DaemonProcess("oidc provider", List.of("env", "SERVER_HOSTNAME=127.0.0.1", "SERVER_PORT=" + port,
                "JSON_CONFIG={\"interactiveLogin\":true}", Tools.javaBinary().toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"),
                dir.resolve("provider.log"));
    }

    @Override
    public void start() {
        process().start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        boolean up = Poll.until(() -> {
            try {
                return http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60));
        if (!up) {
            throw new AssertionError("the OIDC provider did not answer " + discovery + ":\n" + log());
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + port + "/default";
    }
}
