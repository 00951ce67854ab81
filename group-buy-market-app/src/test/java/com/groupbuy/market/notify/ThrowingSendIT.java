package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.RunsAlone;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * One task whose send throws must be that task's failed attempt only. The thrower here is real: partner s77/c77 has
 * an empty signing secret ({@code gbm.notify.secrets.s77.c77=}), and the HMAC key of an empty secret is refused by the
 * JDK ({@code IllegalArgumentException: Empty key}) while the MQ channel builds that partner's message. On main that
 * exception left the MQ gateway and the delivery service: the compensation lane threw before it recorded anything of
 * its page, so the other partners' MQ callbacks published with it and the HTTP callbacks sent before it stayed
 * unrecorded (re-sent at every run), the task kept its next-attempt time at the head of the due queue, and the run
 * threw; the after-commit hand-off threw the same.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.secrets.s77.c77=", "gbm.notify.jitter=0"})
class ThrowingSendIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @RegisterExtension
    final MallQueues queues = new MallQueues();

    private MockWebServer partner;
    private NotifyTaskFixture tasks;

    @BeforeEach
    void setUp() throws Exception {
        partner = new MockWebServer();
        partner.start();
        tasks = new NotifyTaskFixture(jdbc);
        jdbc.update("UPDATE notify_task SET notify_status = 1");
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void aSendThatThrowsIsItsOwnTasksFailedAttemptAndTheRestOfThePageIsDeliveredAndRecorded() throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        String thrower = tasks.dueMqTask("s77", "c77");
        List<String> honestMq =
                List.of(tasks.dueMqTask("s01", "c01"), tasks.dueMqTask("s01", "c01"), tasks.dueMqTask("s01", "c01"));
        List<String> honestHttp = List.of(
                tasks.dueTask(partner.url("/cb").toString()),
                tasks.dueTask(partner.url("/cb").toString()));
        for (int i = 0; i < honestHttp.size(); i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        }

        RuntimeException runFailure = catchRuntimeException(() -> notifyService.deliverAllDue());

        for (String teamId : honestMq) {
            assertThat(tasks.status(teamId))
                    .as("MQ team %s delivered and recorded in the same run (run failure: %s)", teamId, runFailure)
                    .isEqualTo(1);
            assertThat(tasks.attemptRows(teamId)).isEqualTo(1);
        }
        for (String teamId : honestHttp) {
            assertThat(tasks.status(teamId))
                    .as("HTTP team %s delivered and recorded in the same run (run failure: %s)", teamId, runFailure)
                    .isEqualTo(1);
            assertThat(tasks.attemptRows(teamId)).isEqualTo(1);
        }
        assertThat(partner.getRequestCount()).as("each HTTP callback sent once").isEqualTo(honestHttp.size());
        assertThat(honestMq)
                .allSatisfy(teamId -> assertThat(mall.forTeam(teamId)).hasSize(1));
        assertThat(tasks.status(thrower))
                .as("the throwing task waits for its retry")
                .isEqualTo(2);
        assertThat(tasks.count(thrower)).isEqualTo(1);
        assertThat(tasks.attemptRows(thrower)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, thrower))
                .contains("IllegalArgumentException")
                .contains("Empty key");
        assertThat(jdbc.queryForObject(
                        "SELECT TIMESTAMPDIFF(SECOND, NOW(3), next_attempt_time) FROM notify_task WHERE team_id = ?",
                        Long.class,
                        thrower))
                .as("retried after the backoff, not at once")
                .isPositive();
        assertThat(runFailure).as("the run itself").isNull();
    }

    @Test
    void theAfterCommitHandOffRecordsAThrowingSendAsAFailedAttempt() {
        String thrower = tasks.dueMqTask("s77", "c77");
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, thrower);

        RuntimeException failure = catchRuntimeException(() -> notifyService.deliver(taskId));

        assertThat(failure).as("the hand-off's delivery").isNull();
        assertThat(tasks.status(thrower)).isEqualTo(2);
        assertThat(tasks.attemptRows(thrower)).isEqualTo(1);
    }
}
