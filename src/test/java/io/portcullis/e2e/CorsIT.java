package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.testing.Browser;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A third-party web UI in Chromium: a page served from another loopback origin (127.0.0.2, listed with
 * --cors-origin) reads {@code _catalog} and a manifest, with its digest header, through the gate with
 * {@code fetch(…, {credentials: 'include'})} and an Authorization header (so Chromium preflights, without
 * credentials); the same page from an origin not on the list (127.0.0.3) is blocked by the browser.
 */
@NeedsTools({"docker-registry", "skopeo", "chromium", "chromedriver", "tar", "gzip"})
class CorsIT {
    private static final HttpServer ALLOWED_PAGE = page("127.0.0.2");
    private static final HttpServer OTHER_PAGE = page("127.0.0.3");
    @RegisterExtension
    static final Stack stack = Stack.fixture("cors", "256m", dir -> List.of("--cors-origin", origin(ALLOWED_PAGE)));
    private static Browser browser;
    private static OciLayout.Image image;

    /** A tiny web server standing in for the UI's host: one page, no registry code of its own. */
    private static HttpServer page(String address) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = "<!doctype html><title>registry ui</title><p>a third-party registry UI</p>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String origin(HttpServer server) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @BeforeAll
    static void up() {
        image = OciLayout.build(stack.dir().resolve("image"), "1", 500);
        Cmd.of("skopeo", "copy", "--dest-creds", Users.ALICE + ":" + Users.ALICE_PW, "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":1", "docker://" + stack.gate().hostPort() + "/team/web:1")
                .env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180)).ok();
        browser = Browser.start(stack.dir().resolve("chromium-profile"), stack.dir().resolve("screenshots"));
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
        ALLOWED_PAGE.stop(0);
        OTHER_PAGE.stop(0);
    }

    /** What the page's own script gets from {@code fetch}: status, digest header and body, or the error. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetchFrom(HttpServer page, String path) {
        browser.open(origin(page) + "/");
        String auth = "Basic " + Base64.getEncoder().encodeToString((Users.ALICE + ":" + Users.ALICE_PW).getBytes(StandardCharsets.UTF_8));
        return (Map<String, Object>) browser.driver().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'include', headers: {'Authorization': arguments[1],"
                        + "  'Accept': 'application/vnd.oci.image.manifest.v1+json'}})"
                        + ".then(r => r.text().then(t => done({status: r.status, digest: r.headers.get('Docker-Content-Digest'), body: t})))"
                        + ".catch(e => done({error: String(e)}));",
                stack.gate().url() + path, auth);
    }

    @Test
    void aListedOriginReadsTheCatalogAndAManifest() {
        Map<String, Object> catalog = fetchFrom(ALLOWED_PAGE, "/v2/_catalog");
        assertNull(catalog.get("error"), () -> catalog + "\n" + stack.logs());
        assertEquals(200L, catalog.get("status"));
        assertTrue(Json.texts(Json.read(String.valueOf(catalog.get("body"))).path("repositories")).contains("team/web"), catalog::toString);

        Map<String, Object> manifest = fetchFrom(ALLOWED_PAGE, "/v2/team/web/manifests/1");
        assertEquals(200L, manifest.get("status"), manifest::toString);
        assertEquals(image.manifestDigest(), manifest.get("digest"), "Docker-Content-Digest is exposed to the page");
    }

    @Test
    void anOriginNotOnTheListIsBlockedByTheBrowser() {
        Map<String, Object> blocked = fetchFrom(OTHER_PAGE, "/v2/_catalog");
        assertTrue(String.valueOf(blocked.get("error")).contains("Failed to fetch"), blocked::toString);
        assertNull(blocked.get("status"), "the page learns nothing");
    }
}
