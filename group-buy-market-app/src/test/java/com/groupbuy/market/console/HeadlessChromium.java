package com.groupbuy.market.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its chromedriver, named explicitly so Selenium Manager never runs (it would try to download a
 * driver, and nothing outside the package registries is reachable). Missing: a failure in CI ({@code CI=true}), a
 * skipped test with the reason on a developer's machine.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of(System.getenv().getOrDefault("GBM_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("GBM_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {}

    /** Fails (CI) or skips (elsewhere) with the reason when the browser or its driver is not installed. */
    static void requireInstalled() {
        String missing = !Files.isExecutable(BROWSER)
                ? BROWSER.toString()
                : !Files.isExecutable(DRIVER) ? DRIVER.toString() : null;
        if (missing == null) {
            return;
        }
        String why = missing + " is missing: the console's browser tests need Debian's chromium and chromium-driver "
                + "(apt-get install -y chromium chromium-driver; .ci/run installs them)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.abort(why);
    }

    /** A test class's browser: the test fails or is skipped as {@link #requireInstalled} says when it is missing. */
    static ChromeDriver startInstalled() {
        requireInstalled();
        return start();
    }

    /** Ends a browser {@link #startInstalled} gave, if it gave one. */
    static void quit(ChromeDriver driver) {
        if (driver != null) {
            driver.quit();
        }
    }

    static ChromeDriver start() {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1000",
                "--no-first-run",
                "--disable-extensions",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
