package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.testing.AuditSupport;
import io.portcullis.testing.Browser;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.EventSchema;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web catalog in headless Chromium against the real gate and registry, with images pushed by skopeo (a
 * two-platform OCI index among them): what each user sees follows the access rules, a delete needs the
 * {@code delete} right, a confirmation and a token, and values from the registry are shown as text.
 */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip", "curl", "chromium", "chromedriver"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebCatalogIT {
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " catalog",
            "allow " + Users.ALICE + " pull,push,delete **",
            "deny " + Users.BOB + " pull team-b/hidden",
            "deny " + Users.BOB + " pull team-b/many-*-x",
            "allow " + Users.BOB + " pull team-b/**",
            "allow " + Users.CAROL + " pull **",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixture("webui", "256m", dir -> List.of(
            // with an audit log of deletes: a delete in the catalog is audited like one through the API
            "--access", AuditSupport.write(dir.resolve("access.conf"), RULES).toString(),
            "--audit-log", dir.resolve("audit/audit.log").toString(), "--audit-actions", "delete"));
    private static Browser browser;
    private static OciIndexLayout.Index multi;
    private static OciLayout.Image single;

    @BeforeAll
    static void up() {
        multi = OciIndexLayout.build(stack.dir().resolve("multi"), "multi");
        single = OciLayout.build(stack.dir().resolve("single"), "v1");
        push("oci:" + multi.layout() + ":multi", "team-b/app:multi", true);
        push("oci:" + single.layout() + ":v1", "team-b/tools:1", false);
        push("oci:" + single.layout() + ":v1", "team-b/tools:latest", false);
        push("oci:" + single.layout() + ":v1", "private/secret:1", false);
        push("oci:" + single.layout() + ":v1", "team-b/hidden:1", false);
        browser = Browser.start(stack.dir().resolve("chromium-profile"), Path.of("target", "screenshots"));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    static void push(String from, String to, boolean all) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy"));
        if (all) {
            cmd.add("--all");
        }
        cmd.addAll(List.of("--dest-creds", Users.ALICE + ":" + Users.ALICE_PW, "--dest-cert-dir",
                stack.pki().caDir().toString(), from, "docker://" + stack.gate().hostPort() + "/" + to));
        Cmd.Result r = Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString())
                .timeout(Duration.ofSeconds(180)).run();
        assertEquals(0, r.exitCode(), () -> r.describe() + "\n" + stack.logs());
    }

    private static String ui(String pathAndQuery) {
        return stack.gate().url() + pathAndQuery;
    }

    private static List<String> texts(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static String page() {
        return browser.driver().findElement(By.tagName("main")).getText();
    }

    @Test
    @Order(1)
    void bobSeesOnlyTheRepositoriesHisRulesAllow() {
        browser.as(Users.BOB, Users.BOB_PW).open(ui("/"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("/ui/"), browser.driver().getCurrentUrl());
        assertEquals(List.of("team-b/app", "team-b/tools"), texts("ul.repositories a"), page());
        browser.screenshot("repositories");

        browser.open(ui("/ui/?q=tools"));
        assertEquals(List.of("team-b/tools"), texts("ul.repositories a"));
    }

    @Test
    @Order(2)
    void bobOpensTheRepositoryAndTheTagAndSeesBothPlatformsLayersAndLabels() {
        browser.as(Users.BOB, Users.BOB_PW).open(ui("/ui/"));
        browser.follow(By.linkText("team-b/app"));
        assertEquals(List.of("multi"), texts("a.tag"), page());
        assertTrue(page().contains("linux/amd64") && page().contains("linux/arm64/v8"), page());
        assertTrue(page().contains("docker pull " + stack.gate().hostPort() + "/team-b/app"), page());
        assertTrue(texts("a.delete").isEmpty(), "bob may not delete: no delete control");
        browser.screenshot("repository");

        browser.follow(By.linkText("multi"));
        String text = page();
        assertEquals(OciIndexLayout.PLATFORMS, texts("table.platforms tbody td:first-child"), text);
        for (String digest : multi.platformDigests()) {
            assertTrue(text.contains(digest), "each platform's digest is shown");
        }
        List<String> layerTitles = browser.driver().findElements(By.cssSelector("table.layers code[title]")).stream()
                .map(e -> e.getAttribute("title")).toList();
        assertEquals(multi.layerDigests(), layerTitles, text);
        assertTrue(text.contains("application/vnd.oci.image.layer.v1.tar+gzip"), text);
        assertTrue(text.contains("portcullis e2e"), "the title label");
        assertTrue(text.contains("/app/serve") && text.contains("8080/tcp") && text.contains("MODE=test"), text);
        assertTrue(text.contains("COPY data /app # layer two"), "history");
        assertTrue(texts("a.delete").isEmpty());
        browser.screenshot("image");
    }

    @Test
    @Order(3)
    void registryValuesAreShownAsTextNeverRunAsScript() {
        browser.as(Users.BOB, Users.BOB_PW).open(ui("/ui/image?name=team-b/app&ref=multi"));
        assertFalse(browser.driver().getTitle().contains("pwned"));
        assertTrue(texts("table.labels td").contains(OciIndexLayout.SCRIPT), "label shown as text");
        assertTrue(texts("table.annotations td").contains(OciIndexLayout.SCRIPT), "annotation shown as text");
        // and escaped in the HTML itself, not merely stopped by the Content-Security-Policy
        Curl.Response r = stack.curl().exchange("GET", ui("/ui/image?name=team-b/app&ref=multi"),
                "-u", Users.BOB + ":" + Users.BOB_PW);
        assertEquals(200, r.status());
        assertFalse(r.bodyText().contains(OciIndexLayout.SCRIPT), r.bodyText());
        assertTrue(r.bodyText().contains("&lt;script&gt;"), r.bodyText());
    }

    @Test
    @Order(4)
    void aPageWithoutCredentialsGetsTheChallenge() {
        Curl.Response r = stack.curl().exchange("GET", ui("/ui/"));
        assertEquals(401, r.status());
        assertEquals("Basic realm=\"" + Stack.REALM + "\"", r.header("WWW-Authenticate"));
        // the address users type: redirected without a login, to the catalog, which asks for one
        Curl.Response root = stack.curl().exchange("GET", ui("/"));
        assertEquals(302, root.status());
        assertEquals("/ui/", root.header("Location"));
        browser.as("", "").open(ui("/"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("/ui/"), browser.driver().getCurrentUrl());
        assertTrue(browser.driver().findElements(By.cssSelector("ul.repositories")).isEmpty());
    }

    @Test
    @Order(5)
    void aUserWithoutDeleteSeesNoControlAndAForgedPostIsRefused() {
        browser.as(Users.CAROL, Users.CAROL_PW).open(ui("/ui/repository?name=team-b/tools"));
        assertEquals(List.of("1", "latest"), texts("a.tag"), page());
        assertTrue(texts("a.delete").isEmpty(), page());

        Curl.Response forged = stack.curl().exchange("POST", ui("/ui/delete"), "-u", Users.CAROL + ":" + Users.CAROL_PW,
                "-H", "Origin: " + stack.gate().url(),
                "--data", "name=team-b/tools&digest=" + single.manifestDigest() + "&csrf=forged");
        assertEquals(403, forged.status(), forged.bodyText());
        assertEquals(200, manifestStatus("team-b/tools", "1"), "nothing deleted");

        // alice may delete, but not without the token of the confirmation page, or from another origin
        Curl.Response noToken = stack.curl().exchange("POST", ui("/ui/delete"), "-u", Users.ALICE + ":" + Users.ALICE_PW,
                "-H", "Origin: " + stack.gate().url(), "--data", "name=team-b/tools&digest=" + single.manifestDigest() + "&csrf=x");
        assertEquals(403, noToken.status(), noToken.bodyText());
        assertEquals(200, manifestStatus("team-b/tools", "1"), "nothing deleted");
    }

    @Test
    @Order(6)
    void aUserWithDeleteDeletesATagAfterAConfirmationNamingTheOtherTags() {
        browser.as(Users.ALICE, Users.ALICE_PW).open(ui("/ui/repository?name=team-b/tools"));
        List<WebElement> deletes = browser.driver().findElements(By.cssSelector("a.delete"));
        assertEquals(2, deletes.size(), page());
        browser.follow(deletes.get(0));
        assertTrue(page().contains("Delete team-b/tools:1?"), page());
        assertEquals(List.of("latest"), texts("ul.other-tags li"), "the other tag on the same digest is named");
        browser.screenshot("confirm-delete");
        browser.follow(By.id("confirm-delete"));
        assertEquals("Deleted", browser.driver().findElement(By.cssSelector("h1")).getText(), page());
        browser.screenshot("deleted");

        assertEquals(404, manifestStatus("team-b/tools", "1"));
        assertEquals(404, manifestStatus("team-b/tools", single.manifestDigest()));
        assertEquals(200, manifestStatus("private/secret", "1"), "the same image in another repository stays");

        // the same delete event as through the API, with the signed-in user as the actor
        assertTrue(Poll.until(() -> !auditEvents().isEmpty(), Duration.ofSeconds(30)),
                () -> "no delete event in the audit log\n" + stack.logs());
        List<JsonNode> events = auditEvents();
        assertEquals(1, events.size(), events::toString);
        JsonNode event = events.get(0);
        assertEquals("delete", event.get("action").asText());
        assertEquals(Users.ALICE, event.path("actor").path("name").asText());
        assertEquals("team-b/tools", event.path("target").path("repository").asText());
        assertEquals(single.manifestDigest(), event.path("target").path("digest").asText());
    }

    private static List<JsonNode> auditEvents() {
        return EventSchema.validLines(AuditSupport.linesOf(stack.dir().resolve("audit/audit.log")));
    }

    @Test
    @Order(7)
    void theApiCatalogIsFilteredAndPagedAcrossTheReposBobMayNotSee() {
        Curl.Response all = stack.curl().exchange("GET", ui("/v2/_catalog"), "-u", Users.ALICE + ":" + Users.ALICE_PW);
        assertEquals(200, all.status(), all.bodyText());
        List<String> unfiltered = repositories(all.bodyText());
        assertEquals(List.of("private/secret", "team-b/app", "team-b/hidden", "team-b/tools"), unfiltered,
                "alice may see the whole catalog");
        List<String> expected = unfiltered.stream().filter(r -> r.startsWith("team-b/") && !r.equals("team-b/hidden")).toList();

        List<String> seen = new ArrayList<>();
        String next = "/v2/_catalog?n=1";
        for (int pages = 0; next != null; pages++) {
            assertTrue(pages < 10, "paging ends");
            Curl.Response page = stack.curl().exchange("GET", ui(next), "-u", Users.BOB + ":" + Users.BOB_PW);
            assertEquals(200, page.status(), page.bodyText());
            List<String> names = repositories(page.bodyText());
            assertEquals(1, names.size(), "n=1 visible name per page, whatever was filtered out: " + page.bodyText());
            seen.addAll(names);
            List<String> link = page.headers("Link");
            next = link.isEmpty() ? null : link.get(0).substring(link.get(0).indexOf('<') + 1, link.get(0).indexOf('>'));
        }
        assertEquals(expected, seen);
    }

    @Test
    @Order(8)
    void theNextPageLinkListsTheFollowingVisibleRepositories() throws Exception {
        // 60 more that bob may see and 12 he may not, among them, around the page boundary (50 names a page)
        for (int i = 0; i < 60; i++) {
            copyImage("team-b/many-%02d".formatted(i));
            if (i % 5 == 0) {
                copyImage("team-b/many-%02d-x".formatted(i));
            }
        }
        Curl.Response all = stack.curl().exchange("GET", ui("/v2/_catalog"), "-u", Users.ALICE + ":" + Users.ALICE_PW);
        List<String> expected = repositories(all.bodyText()).stream()
                .filter(r -> r.startsWith("team-b/") && !r.equals("team-b/hidden") && !r.endsWith("-x")).toList();
        assertEquals(62, expected.size(), all.bodyText());

        browser.as(Users.BOB, Users.BOB_PW).open(ui("/ui/"));
        assertEquals(expected.subList(0, 50), texts("ul.repositories a"), page());
        browser.follow(By.cssSelector("a[rel=next]"));
        assertTrue(browser.driver().getCurrentUrl().contains("/ui/?last="), browser.driver().getCurrentUrl());
        assertEquals(expected.subList(50, 62), texts("ul.repositories a"), page());
        assertTrue(browser.driver().findElements(By.cssSelector("a[rel=next]")).isEmpty(), "the last page has no next link");
    }

    /** The single-platform image into another repository, straight to the registry: blobs mounted, manifest put. */
    private static void copyImage(String repository) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String registry = stack.registry().url();
        List<String> blobs = new ArrayList<>(single.layerDigests());
        blobs.add(single.configDigest());
        for (String digest : blobs) {
            int status = http.send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository
                            + "/blobs/uploads/?mount=" + digest + "&from=private/secret")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(201, status, "mount " + digest + " into " + repository);
        }
        byte[] manifest = Files.readAllBytes(single.layout().resolve("blobs/sha256/" + single.manifestDigest().substring(7)));
        int status = http.send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/manifests/1"))
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(201, status, "manifest of " + repository);
    }

    private static List<String> repositories(String json) {
        return Json.texts(Json.read(json).path("repositories"));
    }

    private static int manifestStatus(String repository, String reference) {
        return Curl.plain().exchange("HEAD", stack.registry().url() + "/v2/" + repository + "/manifests/" + reference,
                "-H", "Accept: application/vnd.oci.image.manifest.v1+json").status();
    }
}
