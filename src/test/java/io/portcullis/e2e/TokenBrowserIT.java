package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Browser;
import io.portcullis.testing.Cmd;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Chromium creates a token on the Tokens page, skopeo uses it, Chromium revokes it, skopeo is refused. */
@NeedsTools({"docker-registry", "skopeo", "htpasswd", "tar", "gzip", "chromium", "chromedriver"})
class TokenBrowserIT {
    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("token-browser", "allow alice pull,push team/**\n");
    private static Browser browser;

    @BeforeAll
    static void up() {
        OciLayout.Image image = OciLayout.build(stack.dir().resolve("image"), "v1");
        skopeo("copy", "--dest-creds", Users.ALICE + ":" + Users.ALICE_PW, "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":v1", ref()).ok();
        browser = Browser.start(stack.dir().resolve("chromium-profile"), Path.of("target", "screenshots"));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String ref() {
        return "docker://" + stack.gate().hostPort() + "/team/app:1";
    }

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).timeout(Duration.ofSeconds(120));
    }

    private static Cmd.Result inspectWith(String token) {
        return skopeo("inspect", "--creds", Users.ALICE + ":" + token, "--cert-dir", stack.pki().caDir().toString(), ref()).run();
    }

    @Test
    void createUseRevokeRefused() {
        browser.as(Users.ALICE, Users.ALICE_PW).open(stack.gate().url() + "/ui/");
        browser.follow(By.linkText("Tokens"));
        WebElement scopes = browser.driver().findElement(By.id("scopes"));
        scopes.clear();
        scopes.sendKeys("pull:team/*");
        browser.driver().findElement(By.name("label")).sendKeys("from the browser");
        browser.screenshot("tokens");
        browser.follow(By.id("create"));
        String token = browser.driver().findElement(By.id("token-secret")).getText();
        assertTrue(token.matches("pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}"), token);
        assertTrue(browser.driver().findElement(By.id("token-login")).getText().contains("-u alice --password-stdin"));
        browser.screenshot("token-created");

        Cmd.Result ok = inspectWith(token);
        assertEquals(0, ok.exitCode(), () -> ok.describe() + "\n" + stack.logs());

        String id = token.substring(4, 20);
        browser.open(stack.gate().url() + "/ui/tokens");
        assertTrue(browser.driver().findElement(By.id("token-" + id)).getText().contains("from the browser"));
        browser.follow(By.id("revoke-" + id));
        assertEquals("Revoked", browser.driver().findElement(By.cssSelector("h1")).getText());

        Cmd.Result refused = inspectWith(token);
        assertTrue(refused.exitCode() != 0, refused::describe);
        String out = refused.output().toLowerCase();
        assertTrue(out.contains("unauthorized") || out.contains("invalid username/password"), refused::describe);
    }
}
