package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.SecondInstance;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Callback timeouts no partner could be served within, as operators write them: {@code gbm.mq.confirm-timeout=0s}, and
 * {@code gbm.notify.read-timeout=5} meaning five seconds (Spring reads a bare number as milliseconds). On main an
 * instance started with either failed every such callback (MQ: "ran out while publishing", a bound queue never got a
 * message; HTTP: a partner answering in 100 ms timed out), each retried until FAIL, and the confirm timeout failed
 * every close check too. Now the start is refused, naming the setting.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
class CallbackTimeoutSettingsIT {

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @RegisterExtension
    final MallQueues queues = new MallQueues();

    @Test
    void aConfirmTimeoutNoPublishCanMeetRefusesToStartInsteadOfFailingEveryMqCallback() throws Exception {
        queues.bind("topic.team_success");
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        Map<String, Object> served = new LinkedHashMap<>();
        Throwable refused = catchThrowable(() -> {
            try (SecondInstance instance = SecondInstance.like(environment, "gbm.mq.confirm-timeout=0s")) {
                served.put("task", deliverOne(instance, tasks.dueMqTask("s01", "c01")));
            }
        });
        assertThat(served)
                .as("what an instance with a confirm timeout of zero did with an MQ callback")
                .isEmpty();
        assertThat(refused)
                .hasStackTraceContaining("gbm.mq.confirm-timeout must be at least 100 ms")
                .hasStackTraceContaining("got PT0S");
    }

    @Test
    void aReadTimeoutWrittenWithoutItsUnitRefusesToStartInsteadOfFailingEveryHttpCallback() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        Map<String, Object> served = new LinkedHashMap<>();
        Throwable refused;
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body("success")
                    .headersDelay(100, TimeUnit.MILLISECONDS)
                    .build());
            refused = catchThrowable(() -> {
                try (SecondInstance instance = SecondInstance.like(environment, "gbm.notify.read-timeout=5")) {
                    served.put(
                            "task",
                            deliverOne(
                                    instance, tasks.dueTask(partner.url("/cb").toString())));
                }
            });
        }
        assertThat(served)
                .as("what an instance with a 5 ms read timeout did with a callback its partner answered in 100 ms")
                .isEmpty();
        assertThat(refused)
                .hasStackTraceContaining("gbm.notify.read-timeout must be at least 100 ms")
                .hasStackTraceContaining("got PT0.005S");
    }

    /** Runs the instance's compensation once; the task's state and last error after it. */
    private Map<String, Object> deliverOne(SecondInstance instance, String teamId) {
        instance.bean(DueCallbackDeliveryService.class).deliverAllDue();
        return jdbc.queryForMap("SELECT notify_status, last_error FROM notify_task WHERE team_id = ?", teamId);
    }
}
