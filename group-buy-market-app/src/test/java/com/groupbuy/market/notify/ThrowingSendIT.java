package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
    private NotifyTaskFixture http;

    @BeforeEach
    void setUp() throws Exception {
        partner = new MockWebServer();
        partner.start();
        http = new NotifyTaskFixture(jdbc);
        jdbc.update("UPDATE notify_task SET notify_status = 1");
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void aSendThatThrowsIsItsOwnTasksFailedAttemptAndTheRestOfThePageIsDeliveredAndRecorded() throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        String batch = UUID.randomUUID().toString();
        String thrower = mqTask("s77", "c77", batch + "x");
        List<String> honestMq = List.of(
                mqTask("s01", "c01", batch + "a"),
                mqTask("s01", "c01", batch + "b"),
                mqTask("s01", "c01", batch + "c"));
        List<String> honestHttp = List.of(
                http.dueTask(partner.url("/cb").toString()),
                http.dueTask(partner.url("/cb").toString()));
        for (int i = 0; i < honestHttp.size(); i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        }

        RuntimeException runFailure = catchRuntimeException(() -> notifyService.deliverAllDue());

        for (String teamId : honestMq) {
            assertThat(http.status(teamId))
                    .as("MQ team %s delivered and recorded in the same run (run failure: %s)", teamId, runFailure)
                    .isEqualTo(1);
            assertThat(http.attemptRows(teamId)).isEqualTo(1);
        }
        for (String teamId : honestHttp) {
            assertThat(http.status(teamId))
                    .as("HTTP team %s delivered and recorded in the same run (run failure: %s)", teamId, runFailure)
                    .isEqualTo(1);
            assertThat(http.attemptRows(teamId)).isEqualTo(1);
        }
        assertThat(partner.getRequestCount()).as("each HTTP callback sent once").isEqualTo(honestHttp.size());
        assertThat(honestMq)
                .allSatisfy(teamId -> assertThat(mall.forTeam(teamId)).hasSize(1));
        assertThat(http.status(thrower))
                .as("the throwing task waits for its retry")
                .isEqualTo(2);
        assertThat(http.count(thrower)).isEqualTo(1);
        assertThat(http.attemptRows(thrower)).isEqualTo(1);
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
        String thrower = mqTask("s77", "c77", UUID.randomUUID().toString());
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, thrower);

        RuntimeException failure = catchRuntimeException(() -> notifyService.deliver(taskId));

        assertThat(failure).as("the hand-off's delivery").isNull();
        assertThat(http.status(thrower)).isEqualTo(2);
        assertThat(http.attemptRows(thrower)).isEqualTo(1);
    }

    /** A due INIT MQ settlement task of partner {@code source}/{@code channel}; returns its team id. */
    private String mqTask(String source, String channel, String seed) {
        String teamId = String.format("%08x", seed.hashCode());
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time) "
                        + "VALUES (?, ?, 1, ?, ?, ?, 'trade_settlement', 'MQ', 'topic.team_success', 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "msg_t" + teamId,
                teamId,
                source,
                channel,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + teamId + "\"]}",
                Timestamp.from(Instant.now().minusSeconds(2)));
        return teamId;
    }
}
