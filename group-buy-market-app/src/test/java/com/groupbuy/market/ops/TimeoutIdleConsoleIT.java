package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutor;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.support.XxlConsoleStub;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A console that accepts our executor but never runs {@code groupBuyTimeoutCloseJob} (not created, stopped, another
 * JobHandler name, its scheduler down while its registry answers). The local timeout scheduler stood by for as long as
 * the registration held, so no team ever expired and no unpaid lock ever closed (with the delay path off, or its checks
 * lost): their places stayed taken and their members' malls were never told. Now it takes over while something has
 * been overdue for longer than {@code gbm.timeout.local-takeover-after}.
 */
@IntegrationTest
class TimeoutIdleConsoleIT {

    private static final String TOKEN = "it-idle-timeout-console-0123456789";
    private static final int EXECUTOR_PORT = AppProcess.freePort();
    private static final MockWebServer CONSOLE = XxlConsoleStub.answering("{\"code\":200,\"msg\":null}", request -> {});
    private static final PartnerReceiver PARTNER = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", () -> EXECUTOR_PORT);
        registry.add("xxl.job.admin.accessToken", () -> TOKEN);
        registry.add(
                "xxl.job.admin.addresses", () -> CONSOLE.url("/xxl-job-admin").toString());
        registry.add("xxl.job.executor.logpath", () -> System.getProperty("java.io.tmpdir") + "/gbm-xxl-idle-to-it");
        registry.add("gbm.xxl-job.registry-interval", () -> "1s");
        registry.add("gbm.timeout.local-scheduler-enabled", () -> "true");
        registry.add("gbm.timeout.local-scheduler-delay", () -> "300ms");
        registry.add("gbm.timeout.local-takeover-after", () -> "2s");
        registry.add("gbm.timeout.expiry-grace", () -> "1s");
    }

    @AfterAll
    static void stop() {
        CONSOLE.close();
        PARTNER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BeanOnlyXxlJobExecutor executor;

    @Test
    void aTeamLeftOpenPastItsEndWhileTheRegisteredConsoleNeverRunsTheJobIsFailedByTheLocalScheduler() throws Exception {
        await(executor::drivesJobs);
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 8801, PARTNER.url());
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
}
