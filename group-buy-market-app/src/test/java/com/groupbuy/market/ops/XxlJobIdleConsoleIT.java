package com.groupbuy.market.ops;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutor;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.XxlConsoleStub;
import java.sql.Timestamp;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A console that accepts our executor but never runs the callback job (the job not created, created but not started,
 * stopped by mistake, a wrong JobHandler name, the console's scheduler down while its registry answers): a real HTTP
 * server answering {@code POST <admin>/api/registry} with success and nothing else. The local scheduler stood by for
 * as long as the registration held, so no instance retried any callback; now it takes over for a task left due past
 * {@code gbm.notify.local-takeover-after}.
 */
@IntegrationTest
class XxlJobIdleConsoleIT {

    private static final String TOKEN = "it-idle-console-token-0123456789";
    private static final int EXECUTOR_PORT = AppProcess.freePort();
    private static final MockWebServer CONSOLE = console();

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
    }

    @AfterAll
    static void stopConsole() {
        CONSOLE.close();
    }

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

    /** Answers as the XXL-Job admin does when it accepts a registration; it never triggers a job. */
    private static MockWebServer console() {
        return XxlConsoleStub.answering("{\"code\":200,\"msg\":null}", request -> {});
    }
}
