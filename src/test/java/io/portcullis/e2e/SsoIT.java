package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.AuditSupport;
import io.portcullis.testing.Browser;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.FreePorts;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.OidcProviderProcess;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Single sign-on to the web catalog with a real OpenID provider process (mock-oauth2-server) and headless Chromium:
 * the browser is sent to the sign-in page, signs in at the provider with a user and its groups, and the catalog
 * shows what those groups may pull; signing out ends the session on the gate (the old cookie is worthless), and a
 * session cookie never opens the registry API. The signed-in user creates a token on the Tokens page, skopeo pushes
 * with it, and once the user has not signed in for the sign-in window it gets a 401 saying to sign in again;
 * signing in brings it back.
 */
@NeedsTools({"docker-registry", "skopeo", "tar", "gzip", "curl", "chromium", "chromedriver"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoIT {
    private static final int GATE_PORT = FreePorts.next();
    private static final int WINDOW_SECONDS = 20;
    private static final String RULES = String.join("\n",
            "allow group:developers pull,push team/**",
            "allow " + Users.ALICE + " pull,push,delete **",
            "");

    @RegisterExtension
    static final OidcProviderProcess provider = OidcProviderProcess.fixture("sso-provider");
    @RegisterExtension
    static final Stack stack = Stack.fixture("sso", "256m", dir -> List.of(
            "--listen", "127.0.0.1:" + GATE_PORT,
            "--access", AuditSupport.write(dir.resolve("access.conf"), RULES).toString(),
            "--oidc-issuer", provider.issuer(),
            "--oidc-client-id", "portcullis",
            "--oidc-client-secret-file", AuditSupport.write(dir.resolve("oidc.secret"), "client-secret\n").toString(),
            "--oidc-redirect-url", "https://127.0.0.1:" + GATE_PORT + "/ui/sso/callback",
            // short, so the test sees a token outlive it; the default is 14d
            "--sign-in-window", WINDOW_SECONDS + "s"));
    private static Browser browser;

    @BeforeAll
    static void up() {
        OciLayout.Image image = OciLayout.build(stack.dir().resolve("image"), "v1");
        for (String to : List.of("team/app:1", "secret/vault:1")) {
            Cmd.Result r = Cmd.of("skopeo", "copy", "--dest-creds", Users.ALICE + ":" + Users.ALICE_PW, "--dest-cert-dir",
                            stack.pki().caDir().toString(), "oci:" + image.layout() + ":v1", "docker://" + stack.gate().hostPort() + "/" + to)
                    .env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180)).run();
            assertEquals(0, r.exitCode(), () -> r.describe() + "\n" + stack.logs());
        }
        browser = Browser.start(stack.dir().resolve("chromium-profile"), Path.of("target", "screenshots"));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String ui(String path) {
        return stack.gate().url() + path;
    }

    private static List<String> repositories() {
        return browser.driver().findElements(By.cssSelector("ul.repositories a")).stream().map(WebElement::getText).toList();
    }

    private static void signInAtProvider(String user, String claimsJson) {
        browser.open(ui("/ui/"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("/ui/sign-in"), "sent to the sign-in page: " + browser.driver().getCurrentUrl());
        browser.follow(By.id("sso"));
        WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        assertTrue(browser.driver().getCurrentUrl().startsWith(provider.issuer()), browser.driver().getCurrentUrl());
        assertTrue(browser.driver().getCurrentUrl().contains("code_challenge_method=S256"), "PKCE: " + browser.driver().getCurrentUrl());
        browser.driver().findElement(By.name("username")).sendKeys(user);
        WebElement claims = browser.driver().findElement(By.name("claims"));
        claims.clear();
        claims.sendKeys(claimsJson);
        claims.submit();
        wait.until(d -> d.getCurrentUrl().startsWith(stack.gate().url() + "/ui/"));
        // back at the catalog, signed in: its page (header, then the list) has loaded
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("span.who"), user));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
    }

    private static void signOut() {
        browser.open(ui("/ui/sign-in"));
        browser.follow(By.id("sign-out"));
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("sso")));
    }

    private static Curl.Response withCookie(String path, String cookieValue) {
        return stack.curl().exchange("GET", ui(path), "-H", "Cookie: __Host-portcullis-session=" + cookieValue);
    }

    @Test
    @Order(1)
    void aDeveloperSignsInAndSeesWhatTheGroupMayPull() {
        signInAtProvider("dora", "{\"groups\": [\"developers\"]}");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/ui/"), browser.driver().getCurrentUrl());
        assertEquals(List.of("team/app"), repositories(), () -> browser.driver().getPageSource() + "\n" + stack.logs());
        browser.screenshot("sso-developer");
        Cookie session = browser.driver().manage().getCookieNamed("__Host-portcullis-session");
        assertNotNull(session);
        assertTrue(session.isHttpOnly() && session.isSecure(), session::toString);
        assertEquals("Lax", session.getSameSite());
        assertTrue(stack.gate().log().contains("'dora' signed in to the web catalog"), stack::logs);

        // the registry API never takes the cookie: a cross-site request would carry it
        assertEquals(401, withCookie("/v2/_catalog", session.getValue()).status());
        assertEquals(401, withCookie("/v2/team/app/manifests/1", session.getValue()).status());
        // the same cookie opens the catalog page for curl too, and a forged MAC does not
        assertEquals(200, withCookie("/ui/", session.getValue()).status());
        String forged = session.getValue().substring(0, session.getValue().indexOf('.') + 1) + "AAAA";
        assertEquals(302, withCookie("/ui/", forged).status());

        signOut();
        Curl.Response after = withCookie("/ui/", session.getValue());
        assertEquals(302, after.status(), "revoked on the server: the old cookie is worthless");
        assertTrue(after.header("Location").endsWith("/ui/sign-in"), after::toString);
    }

    @Test
    @Order(2)
    void aUserWithoutTheGroupSeesNothing() {
        signInAtProvider("eve", "{\"groups\": [\"outsiders\"]}");
        assertEquals(List.of(), repositories(), () -> browser.driver().getPageSource());
        browser.open(ui("/ui/r/team/app"));
        assertTrue(!browser.driver().getPageSource().contains("docker pull"), "no repository page for eve");
        signOut();
    }

    @Test
    @Order(3)
    void passwordSignInStaysBesideSingleSignOn() {
        Curl.Response challenge = stack.curl().exchange("GET", ui("/ui/sign-in/password"));
        assertEquals(401, challenge.status());
        assertTrue(challenge.header("WWW-Authenticate").startsWith("Basic"), challenge::toString);
        Curl.Response page = stack.curl().exchange("GET", ui("/ui/"), "-u", Users.ALICE + ":" + Users.ALICE_PW);
        assertEquals(200, page.status());
        assertTrue(page.bodyText().contains("secret/vault"), page::bodyText);
    }

    @Test
    @Order(4)
    void aCallbackNotStartedInThisBrowserIsRefused() {
        List<String> args = new ArrayList<>(List.of("-H", "Accept: text/html"));
        Curl.Response r = stack.curl().exchange("GET", ui("/ui/sso/callback?code=stolen&state=guessed"), args.toArray(String[]::new));
        assertEquals(400, r.status(), r::toString);
        assertTrue(r.bodyText().contains("not started in this browser"), r::bodyText);
    }

    @Test
    @Order(5)
    void aTokenOfAnSsoUserLivesWhileTheUserKeepsSigningIn() {
        signInAtProvider("dora", "{\"groups\": [\"developers\"]}");
        // the Tokens page, as the signed-in user: no password ever existed for dora
        browser.follow(By.linkText("Tokens"));
        WebElement scopes = new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("scopes")));
        scopes.clear();
        scopes.sendKeys("pull,push:team/*");
        browser.driver().findElement(By.name("label")).sendKeys("laptop");
        browser.follow(By.id("create"));
        // the click starts a navigation: wait for the page that shows the secret, not for the old one
        String token = new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("token-secret"))).getText();
        assertTrue(token.matches("pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}"), () -> token + "\n" + browser.driver().getPageSource());
        browser.screenshot("sso-token-created");
        long signedIn = System.nanoTime();

        OciLayout.Image image = OciLayout.build(stack.dir().resolve("image-token"), "v1");
        Cmd.Result pushed = Cmd.of("skopeo", "copy", "--dest-creds", "dora:" + token, "--dest-cert-dir",
                        stack.pki().caDir().toString(), "oci:" + image.layout() + ":v1", "docker://" + stack.gate().hostPort() + "/team/app:sso")
                .env("REGISTRY_AUTH_FILE", stack.dir().resolve("token-auth.json").toString()).timeout(Duration.ofSeconds(180)).run();
        assertEquals(0, pushed.exitCode(), () -> pushed.describe() + "\n" + stack.logs());
        assertEquals(403, stack.curl().exchange("GET", ui("/v2/secret/vault/manifests/1"), "-u", "dora:" + token).status(),
                "the token acts with the groups of the last sign-in, no more");

        // no sign-in for the window: polled, never slept
        Curl.Response refused = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(WINDOW_SECONDS + 40).toNanos();
        while (System.nanoTime() < deadline) {
            Curl.Response r = stack.curl().exchange("GET", ui("/v2/"), "-u", "dora:" + token);
            if (r.status() == 401) {
                refused = r;
                break;
            }
            assertEquals(200, r.status(), r::toString);
        }
        assertNotNull(refused, "the token still worked after the window");
        // a sign-in refreshes the ledger to within a tenth of the window (writes are coalesced)
        assertTrue(Duration.ofNanos(System.nanoTime() - signedIn).toSeconds() >= WINDOW_SECONDS - WINDOW_SECONDS / 10 - 1,
                "not before the window ended");
        String body = refused.bodyText();
        assertTrue(body.contains("sign in to the web catalog") && body.contains("every " + WINDOW_SECONDS + "s"), body);

        signOut();
        signInAtProvider("dora", "{\"groups\": [\"developers\"]}");
        assertEquals(200, stack.curl().exchange("GET", ui("/v2/"), "-u", "dora:" + token).status(), "a new sign-in brings it back");
    }
}
