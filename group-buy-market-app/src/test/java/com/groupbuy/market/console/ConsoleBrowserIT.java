package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.tag.CrowdTagFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The operators' console in a real headless Chromium: the login form, every page with no data and with 10,000
 * tasks, a FAIL task re-driven by clicking, live teams counting down, an import run with its progress. Screenshots go
 * to {@code target/screenshots/} (CI keeps them; a few are in {@code docs/img/}).
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.admin.token=it-console-browser-token-01", "gbm.notify.backoff=1h"})
class ConsoleBrowserIT {

    private static final String TOKEN = "it-console-browser-token-01";
    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.startInstalled();
    }

    @AfterAll
    static void stopBrowser() {
        HeadlessChromium.quit(browser);
    }

    @BeforeEach
    void signedOut() {
        browser.get(base() + "/console/login.html");
        browser.manage().deleteAllCookies();
    }

    @Test
    void theLoginFormGuardsTheConsole() throws Exception {
        browser.get(base() + "/console/");
        waitFor(By.id("login-form"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login.html");

        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("login-submit")).click();
        WebElement error = waitFor(By.id("login-error"));
        wait(ExpectedConditions.visibilityOf(error));
        assertThat(error.getText()).isEqualTo("Wrong token.");
        assertThat(browser.manage().getCookieNamed("GBM_CONSOLE")).isNull();
        HeadlessChromium.screenshot(browser, "console-login-refused");

        signIn();
        Cookie session = browser.manage().getCookieNamed("GBM_CONSOLE");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(TOKEN);
        assertThat((Object) browser.executeScript("return document.cookie")).isEqualTo("");

        browser.findElement(By.id("logout")).click();
        waitFor(By.id("login-form"));
        browser.get(base() + "/console/index.html#tasks");
        waitFor(By.id("login-form"));

        // The signed-out cookie put back (a browser that kept it, or a copy taken before): the server ended the
        // session, so the console still asks for the token. On main the cookie was stateless and the console opened.
        browser.manage()
                .addCookie(new Cookie.Builder("GBM_CONSOLE", session.getValue())
                        .path("/")
                        .isHttpOnly(true)
                        .sameSite("Strict")
                        .build());
        browser.get(base() + "/console/index.html#tasks");
        waitFor(By.id("login-form"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login.html");
    }

    /**
     * An operator who presses Enter before login.js has run (a slow or blocked script) has the form sent by the browser
     * itself: a GET to the login page. On main the token field had a name, so the admin token went into the address
     * (and the history, and every access log on the way).
     */
    @Test
    void aTokenSentBeforeTheScriptRunsNeverGoesIntoTheAddress() {
        browser.executeCdpCommand("Network.enable", java.util.Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", java.util.Map.of("urls", List.of("*login.js")));
        try {
            browser.get(base() + "/console/login.html");
            WebElement token = waitFor(By.id("token"));
            token.sendKeys(TOKEN + org.openqa.selenium.Keys.ENTER);
            wait(gone(token));
            waitFor(By.id("token"));
            assertThat(browser.getCurrentUrl()).contains("/console/login.html").doesNotContain(TOKEN);
        } finally {
            browser.executeCdpCommand("Network.setBlockedURLs", java.util.Map.of("urls", List.of()));
        }
    }

    @Test
    void everyPageWorksWithNoData() throws Exception {
        for (String table : new String[] {
            "notify_attempt",
            "notify_task",
            "group_buy_order_list",
            "group_buy_order",
            "sc_sku_activity",
            "group_buy_activity",
            "crowd_tags_detail",
            "crowd_tags_job",
            "crowd_tags"
        }) {
            jdbc.update("DELETE FROM " + table);
        }
        signIn();
        open("#activities");
        assertThat(waitFor(By.id("activities-empty")).getText()).isEqualTo("No activities.");
        assertThat(browser.findElement(By.id("activities-pager-label")).getText())
                .isEqualTo("page 1 of 1 (0)");
        // An activity that names nothing is said so, not shown as one with no teams (AdminRefusalIT).
        open("#teams/100123");
        assertThat(waitFor(By.id("load-error")).getText())
                .isEqualTo("Could not load: 0002 illegal parameter: activityId 100123 names no activity");
        new MarketConfigFixture(jdbc).goods("9890999", 100_124L, "ZJ", "20", "100.00");
        open("#teams/100124");
        assertThat(waitFor(By.id("teams-empty")).getText()).isEqualTo("No teams with this status.");
        open("#tasks");
        assertThat(waitFor(By.id("tasks-empty")).getText()).isEqualTo("No notify tasks.");
        HeadlessChromium.screenshot(browser, "console-tasks-empty");
        open("#imports");
        assertThat(waitFor(By.id("imports-empty")).getText()).isEqualTo("No crowd-tag import jobs.");
        open("#switches");
        assertThat(waitFor(By.id("switch-degrade")).getText()).isEqualTo("off");
        assertThat(browser.findElement(By.id("switch-cut-range")).getText()).isEqualTo("100 %");
        HeadlessChromium.screenshot(browser, "console-switches");
        assertThat(browser.findElements(By.id("load-error"))).isEmpty();
    }

    /**
     * A refusal of a status filter names the values as the console's filters show them: one table of labels for both.
     * Before, the refusal said {@code 1 (success)} and {@code 0 (open)} where the console showed DONE and in progress.
     */
    @Test
    void aStatusRefusalNamesTheValuesAsTheConsoleShowsThem() throws Exception {
        new MarketConfigFixture(jdbc)
                .team(
                        "77009001",
                        7_700_901L,
                        "labels-u1",
                        1,
                        0,
                        0,
                        Instant.now().plusSeconds(600));
        signIn();
        open("#tasks");
        assertThat(refusalOf("/api/v1/gbm/admin/notify/tasks?status=9"))
                .isEqualTo("illegal parameter: status must be one of " + shownValues("task-status"));
        open("#teams/7700901");
        assertThat(refusalOf("/api/v1/gbm/admin/console/activities/7700901/teams?status=9"))
                .isEqualTo("illegal parameter: status must be one of " + shownValues("team-status"));
    }

    /** "0 (INIT), 1 (DONE), ...": each status option of this filter, its value and the label the console shows. */
    private String shownValues(String filter) {
        return new Select(waitFor(By.id(filter)))
                .getOptions().stream()
                        .filter(option -> option.getAttribute("value").matches("[0-9]+"))
                        .map(option -> option.getAttribute("value") + " (" + option.getText() + ")")
                        .collect(Collectors.joining(", "));
    }

    private String refusalOf(String listing) throws Exception {
        HttpResponse<String> answer =
                new AdminClient(() -> port).get(listing).token(TOKEN).send();
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(body.path("code").asText()).as(listing).isEqualTo("0002");
        return body.path("info").asText();
    }

    @Test
    void aFailTaskIsReDrivenByClicking() throws Exception {
        // Only this test's task is due: the runs below must not spend their budget on other tests' rows.
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status IN (0, 2)",
                java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(86_400)));
        String teamId;
        try (MockWebServer partner = new MockWebServer()) {
            partner.enqueue(new MockResponse.Builder().code(500).body("down").build());
            partner.enqueue(
                    new MockResponse.Builder().code(503).body("still down").build());
            partner.start();
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            teamId = tasks.dueTask(partner.url("/cb").toString());
            notifyService.deliverAllDue();
            tasks.makeDue(teamId);
            notifyService.deliverAllDue();
            assertThat(tasks.status(teamId)).isEqualTo(3);
        }
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);

        signIn();
        open("#tasks");
        showTasks("FAIL");
        WebElement row = waitFor(By.cssSelector("tr.task[data-task='" + taskId + "']"));
        assertThat(row.findElement(By.cssSelector(".task-status")).getText()).isEqualTo("FAIL");
        row.findElement(By.cssSelector(".attempts-button")).click();
        WebElement attempts = waitFor(By.cssSelector("tr.attempts[data-task='" + taskId + "']"));
        assertThat(attempts.getText()).contains("500", "503", "ms");
        assertThat(attempts.findElement(By.xpath(".//tbody/tr")).getText())
                .as("newest first")
                .contains("503");
        HeadlessChromium.screenshot(browser, "console-task-attempts");

        row.findElement(By.cssSelector(".redrive-button")).click();
        wait(d ->
                jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE id = ?", Integer.class, taskId) == 2);
        // The page reloads the FAIL listing, where the task no longer is.
        wait(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr.task[data-task='" + taskId + "']")));
        showTasks("RETRY");
        WebElement retrying = waitFor(By.cssSelector("tr.task[data-task='" + taskId + "']"));
        assertThat(retrying.findElement(By.cssSelector(".task-status")).getText())
                .isEqualTo("RETRY");
        assertThat(retrying.findElements(By.cssSelector(".redrive-button"))).isEmpty();
        HeadlessChromium.screenshot(browser, "console-task-redriven");
    }

    @Test
    void tenThousandTasksArePagedAndReDrivenWithProgress() throws Exception {
        ConsoleData data = new ConsoleData(jdbc);
        data.failedTasks(10_000, 70_000_000, "bulkui");
        long failed = jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE notify_status = 3 AND notify_type <> 'DELAY'", Long.class);
        long pages = (failed + 49) / 50;

        signIn();
        open("#tasks");
        showTasks("FAIL");
        wait(ExpectedConditions.textToBe(By.id("tasks-pager-label"), "page 1 of " + pages + " (" + failed + ")"));
        assertThat(browser.findElements(By.cssSelector("tr.task"))).hasSize(50);
        browser.findElement(By.id("tasks-pager-next")).click();
        wait(ExpectedConditions.textToBe(By.id("tasks-pager-label"), "page 2 of " + pages + " (" + failed + ")"));
        assertThat(browser.findElements(By.cssSelector("tr.task"))).hasSize(50);
        HeadlessChromium.screenshot(browser, "console-tasks-10000");

        browser.findElement(By.id("redrive-all")).click();
        wait(
                Duration.ofSeconds(90),
                ExpectedConditions.textMatches(
                        By.id("redrive-all-progress"),
                        java.util.regex.Pattern.compile("DONE " + failed + " / " + failed)));
        HeadlessChromium.screenshot(browser, "console-redrive-all-done");
        assertThat(data.failed("bulkui")).isZero();
        assertThat(data.retrying("bulkui")).isEqualTo(10_000);
        wait(ExpectedConditions.visibilityOfElementLocated(By.id("tasks-empty")));
        jdbc.update("DELETE FROM notify_task WHERE source = 'bulkui'");
    }

    @Test
    void liveTeamsCountDownAndAnImportShowsItsProgress() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 91802, "http://127.0.0.1:" + port + "/cb");
        String teamId = mall.team("console-u1", "console-u2");
        List<String> members =
                IntStream.range(0, 3_000).mapToObj(i -> "console-m" + i).toList();
        new CrowdTagFixture(jdbc).tag("console-ui", members);

        signIn();
        open("#activities");
        waitFor(By.linkText("91802")).click();
        WebElement team = waitFor(By.xpath("//tr[contains(@class,'team')][td[1][text()='" + teamId + "']]"));
        assertThat(team.findElement(By.cssSelector(".places")).getText()).isEqualTo("2 / 3 locked, 0 paid");
        assertThat(team.getText()).contains("console-u1 · out-console-u1 · locked · s01/c01", "console-u2");
        String first = team.findElement(By.cssSelector(".countdown")).getText();
        assertThat(first).matches("00:1[0-5]:\\d\\d");
        wait(d -> !d.findElement(By.cssSelector("tr.team .countdown")).getText().equals(first));
        HeadlessChromium.screenshot(browser, "console-teams");
        // A team's own members view pages all of them (the teams page carries the first 20 and the count).
        open("#members/" + teamId);
        assertThat(waitFor(By.id("members")).getText()).contains("console-u1", "out-console-u2", "s01/c01");
        assertThat(browser.findElement(By.id("members-pager-label")).getText()).isEqualTo("page 1 of 1 (2)");

        open("#imports");
        WebElement job = waitFor(By.cssSelector("tr.import[data-batch='b-console-ui']"));
        job.findElement(By.cssSelector(".import-run")).click();
        wait(
                Duration.ofSeconds(60),
                ExpectedConditions.textMatches(
                        By.cssSelector("tr.import[data-batch='b-console-ui'] .import-progress"),
                        java.util.regex.Pattern.compile("DONE 3000 / 3000")));
        // The listing is drawn again once the run is over: the job row then says done with 3000 members loaded.
        wait(d -> {
            String row = d.findElement(By.cssSelector("tr.import[data-batch='b-console-ui']"))
                    .getText();
            return row.contains(" done ") && row.contains("3000") && row.contains("DONE 3000 / 3000");
        });
        HeadlessChromium.screenshot(browser, "console-imports");
    }

    /** Picks a status in the task filter and waits until the listing was drawn again. */
    private void showTasks(String status) {
        WebElement heading = waitFor(By.cssSelector("#view h2"));
        new Select(waitFor(By.id("task-status"))).selectByVisibleText(status);
        wait(gone(heading));
        waitFor(By.cssSelector("#view h2"));
    }

    private void signIn() {
        browser.get(base() + "/console/login.html");
        waitFor(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("login-submit")).click();
        wait(ExpectedConditions.urlContains("/console/index.html"));
        waitFor(By.cssSelector("#view h2"));
    }

    /** A fresh page load (a query of its own, so a mere hash change never leaves the old page's elements around). */
    private void open(String hash) {
        browser.get(base() + "/console/index.html?load=" + System.nanoTime() + hash);
        waitFor(By.cssSelector("#view h2, #load-error"));
    }

    /**
     * True once the element has left its page. Chrome answers a question about a node of a document it is just leaving
     * with an inspector error ("does not belong to the document") instead of a stale reference: that is "not yet", and
     * the wait asks again.
     */
    private static java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> gone(WebElement element) {
        return driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return false;
                }
                throw e;
            }
        };
    }

    private WebElement waitFor(By locator) {
        return wait(ExpectedConditions.presenceOfElementLocated(locator));
    }

    private <T> T wait(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return wait(Duration.ofSeconds(15), condition);
    }

    private <T> T wait(
            Duration timeout, java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        // A page drawn again while we look leaves stale elements: look again.
        return new WebDriverWait(browser, timeout)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
