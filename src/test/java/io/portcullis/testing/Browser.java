package io.portcullis.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its chromedriver (no Selenium Manager, nothing downloaded), with a fresh
 * profile, trusting the gate's self-signed test certificate. Logs in like a browser that already answered the
 * basic-auth dialog: the DevTools protocol adds the {@code Authorization} header to every request.
 */
public final class Browser implements AutoCloseable {
    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    public static Browser start(Path profile, Path screenshots) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Tools.require("chromium", "chromium").toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--ignore-certificate-errors", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(Tools.require("chromedriver", "chromium-driver").toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Network.enable", Map.of());
        return new Browser(driver, screenshots);
    }

    /** Every following request carries these credentials (empty user: none). */
    public Browser as(String user, String password) {
        Map<String, Object> headers = user.isEmpty() ? Map.of() : Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
        return this;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /** Clicks what leads to another page (a link, a form's button) and returns once that page has replaced this one. */
    public Browser follow(By what) {
        return follow(driver.findElement(what));
    }

    /**
     * As {@link #follow(By)}. A click that submits a form returns before the answer has arrived, so reading the page
     * right after it can read the old page, or fail with a stale element while the new one loads (seen under load):
     * wait until the old document is gone.
     */
    public Browser follow(WebElement link) {
        WebElement oldPage = driver.findElement(By.tagName("html"));
        link.click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(oldPage));
        return this;
    }

    /** Writes the page as it looks now to {@code screenshots/NAME.png}. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
