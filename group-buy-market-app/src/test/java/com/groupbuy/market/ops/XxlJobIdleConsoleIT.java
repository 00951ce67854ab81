package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutor;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.support.XxlConsoleStub;
import java.sql.Timestamp;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A console that accepts our executor but never runs the callback job (the job not created, created but not started,
 * stopped by mistake, a wrong JobHandler name, the console's scheduler down while its registry answers): a real HTTP
 * server answering {@code POST <admin>/api/registry} with success and nothing else. The local scheduler stood by for
 * as long as the registration held, so no instance retried any callback; now it takes over for a task left due past
 * {@code gbm.notify.local-takeover-after}. The same for {@code groupBuyTimeoutCloseJob}: no team ever expired and no
 * unpaid lock closed (with the delay path off, or its checks lost), their places stayed taken and their malls were
 * never told; the local timeout scheduler now takes over past {@code gbm.timeout.local-takeover-after}.
 */
@IntegrationTest
class XxlJobIdleConsoleIT {

    private static final String TOKEN = "it-idle-console-token-0123456789";
    private static final int EXECUTOR_PORT = AppProcess.freePort();
    private static final MockWebServer CONSOLE = console();
    private static final PartnerReceiver MALL = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", () -> EXECUTOR_PORT);
        registry.add("xxl.job.admin.accessToken", () -> TOKEN);
        registry.add(
                "xxl.job.admin.addresses", () -> CONSOLE.url("/xxl-job-admin").toString());
        registry.add("xxl.job.executor.logpath", () -> System.getProperty("java.io.tmpdir") + "/gbm-xxl-idle-it");
        registry.add("gbm.xxl-job.registry-interval", () -> "1s");
        registry.add("gbm.notify.local-scheduler-enabled", () -> "true");
        registry.add("gbm.notify.local-scheduler-delay", () -> "300ms");
        registry.add("gbm.notify.local-takeover-after", () -> "2s");
        registry.add("gbm.timeout.local-scheduler-enabled", () -> "true");
        registry.add("gbm.timeout.local-scheduler-delay", () -> "300ms");
        registry.add("gbm.timeout.local-takeover-after", () -> "2s");
        registry.add("gbm.timeout.expiry-grace", () -> "1s");
    }

    @AfterAll
    static void stopConsole() {
        CONSOLE.close();
        MALL.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BeanOnlyXxlJobExecutor executor;

    @Test
    void aTaskLeftDueWhileTheRegisteredConsoleNeverRunsTheJobIsDeliveredByTheLocalScheduler() throws Exception {
        await(executor::drivesJobs);
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            String teamId = tasks.dueTask(partner.url("/cb").toString());
            // Its after-commit attempt failed a minute ago: due since then, and only a compensation run sends it.
            jdbc.update(
                    "UPDATE notify_task SET notify_status = 2, notify_count = 1, next_attempt_time = ? WHERE team_id = ?",
                    Timestamp.from(Instant.now().minusSeconds(60)),
                    teamId);

            await(() -> tasks.status(teamId) == 1);

            assertThat(executor.drivesJobs())
                    .as("the console still holds our registration")
                    .isTrue();
            assertThat(partner.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void aTeamLeftOpenPastItsEndWhileTheRegisteredConsoleNeverRunsTheTimeoutJobIsFailedByTheLocalScheduler()
            throws Exception {
        await(executor::drivesJobs);
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 8801, MALL.url());
        String overdue = mall.team("idle-1");
        String running = mall.team("idle-2");
        // Ended a minute ago: overdue for far longer than the takeover bound, and only a timeout run fails it.
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 60 SECOND WHERE team_id = ?",
                overdue);

        await(() -> teamStatus(overdue) == 2);

        assertThat(executor.drivesJobs())
                .as("the console still holds our registration")
                .isTrue();
        assertThat(teamStatus(running))
                .as("a team inside its validity is left alone")
                .isZero();
    }

    private int teamStatus(String teamId) {
        return jdbc.queryForObject("SELECT status FROM group_buy_order WHERE team_id = ?", Integer.class, teamId);
    }

    /** Answers as the XXL-Job admin does when it accepts a registration; it never triggers a job. */
    private static MockWebServer console() {
        return XxlConsoleStub.answering("{\"code\":200,\"msg\":null}", request -> {});
    }
}
