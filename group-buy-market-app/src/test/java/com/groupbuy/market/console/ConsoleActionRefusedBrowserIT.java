package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator's action in the console that the service refuses, or cannot do, is said so on the page. On main the
 * console went on as if it were done: <em>Sign out</em> with the service's Redis down (the sign-out cannot be
 * recorded: 503 {@code E0401}, and the cookie is neither ended on the server nor cleared) showed the sign-in page while
 * the session stayed valid in that very browser, and a re-drive the service refused ({@code E0302}) changed nothing
 * on the page and said nothing. Real Chromium, a private redis-server of this class killed and started again.
 */
@IntegrationTest
@PrivateRedisServer
@TestPropertySource(properties = "gbm.admin.token=it-console-refused-token-01")
class ConsoleActionRefusedBrowserIT {

    private static final String TOKEN = "it-console-refused-token-01";
    private static ChromeDriver browser;

    @Autowired
    PrivateRedis redis;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    private final AdminClient admin = new AdminClient(() -> port);

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.startInstalled();
    }

    @AfterAll
    static void stopBrowser() {
        HeadlessChromium.quit(browser);
    }

    @Test
    void aSignOutThatCouldNotBeRecordedIsSaidSoAndTheNextOneEndsTheSession() throws Exception {
        signIn();
        String cookie =
                "GBM_CONSOLE=" + browser.manage().getCookieNamed("GBM_CONSOLE").getValue();

        redis.kill();
        try {
            browser.findElement(By.id("logout")).click();
            wait(driver -> driver.getCurrentUrl().contains("/console/login.html")
                    || !driver.findElements(By.cssSelector("#action-error:not([hidden])"))
                            .isEmpty());
            assertThat(browser.getCurrentUrl())
                    .as("the sign-in page, while the session stays valid in this browser and on the server")
                    .contains("/console/index.html");
            assertThat(browser.findElement(By.id("action-error")).getText()).contains("Not signed out", "E0401");
            HeadlessChromium.screenshot(browser, "console-sign-out-not-recorded");
        } finally {
            redis.startAgain();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        int status;
        do {
            Thread.sleep(250);
            status = admin.get(AdminClient.SESSION).cookie(cookie).send().statusCode();
        } while (status != 200 && System.currentTimeMillis() < deadline);
        assertThat(status).as("the session the failed sign-out left valid").isEqualTo(200);

        browser.findElement(By.id("logout")).click();
        wait(ExpectedConditions.urlContains("/console/login.html"));
        assertThat(admin.get(AdminClient.SESSION).cookie(cookie).send().statusCode())
                .as("signed out on the server now")
                .isEqualTo(403);
    }

    @Test
    void aReDriveTheServiceRefusesIsSaidSo() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String teamId = tasks.dueTask("http://127.0.0.1:1/cb");
        jdbc.update("UPDATE notify_task SET notify_status = 3 WHERE team_id = ?", teamId);
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
        signIn();
        browser.get(base() + "/console/index.html?load=" + System.nanoTime() + "#tasks");
        WebElement row = waitFor(By.cssSelector("tr.task[data-task='" + taskId + "']"));

        // Another operator (or instance) re-drove it meanwhile: this page still offers the button.
        jdbc.update("UPDATE notify_task SET notify_status = 2 WHERE id = ?", taskId);
        row.findElement(By.cssSelector(".redrive-button")).click();

        WebElement error = wait(ExpectedConditions.visibilityOfElementLocated(By.id("action-error")));
        assertThat(error.getText()).contains("Re-drive of task " + taskId, "E0302");
    }

    /** A double click sends one re-drive: the second, refused E0302, read "not done" although the first had done it. */
    @Test
    void aDoubleClickedReDriveIsDoneOnceAndNothingIsSaidRefused() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String teamId = tasks.dueTask("http://127.0.0.1:1/cb");
        jdbc.update(
                "UPDATE notify_task SET notify_status = 3, next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 1 DAY "
                        + "WHERE team_id = ?",
                teamId);
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
        signIn();
        browser.get(base() + "/console/index.html?load=" + System.nanoTime() + "#tasks");
        WebElement row = waitFor(By.cssSelector("tr.task[data-task='" + taskId + "']"));

        new Actions(browser)
                .doubleClick(row.findElement(By.cssSelector(".redrive-button")))
                .perform();

        wait(driver -> browser.findElement(By.cssSelector("tr.task[data-task='" + taskId + "'] .task-status"))
                .getText()
                .equals("RETRY"));
        assertThat(tasks.status(teamId)).isEqualTo(2);
        assertThat(browser.findElement(By.id("action-error")).isDisplayed()).isFalse();
    }

    /** A link to a name every object has ({@code #constructor}) opened a blank page; it opens the activities. */
    @Test
    void aLinkToAnInheritedNameOpensTheActivities() {
        signIn();
        browser.get(base() + "/console/index.html?load=" + System.nanoTime() + "#constructor");
        assertThat(waitFor(By.cssSelector("#view h2")).getText()).isEqualTo("Activities");
    }

    private void signIn() {
        browser.get(base() + "/console/login.html");
        browser.manage().deleteAllCookies();
        waitFor(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("login-submit")).click();
        wait(ExpectedConditions.urlContains("/console/index.html"));
        waitFor(By.cssSelector("#view h2"));
    }

    private WebElement waitFor(By locator) {
        return wait(ExpectedConditions.presenceOfElementLocated(locator));
    }

    private <T> T wait(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
