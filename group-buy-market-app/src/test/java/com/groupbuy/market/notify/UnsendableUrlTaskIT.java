package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A callback task whose URL the callback client cannot parse ({@code http://[::1%lo]:8080/cb}: an IPv6 zone, which
 * locks took until NotifyUrlSendableIT's fix; such rows are still stored) was meant to be a failed attempt like any
 * other. On main the gateway built the request outside its try, so OkHttp's IllegalArgumentException left the gateway:
 * the compensation lane holding that task threw before it sent or recorded anything of its page, the run failed, and
 * the task, never recorded, kept its next-attempt time at the head of the due queue. Every run, once the leases ran
 * out, took it again with the same oldest tasks of other partners, which were never sent (lost while INIT, no attempt,
 * no FAIL); the after-commit hand-off threw the same. Now it is a failed attempt (RETRY, one attempt row, the reason),
 * and the honest partner's callbacks of the same page are delivered.
 */
@SharedContextIntegrationTest
class UnsendableUrlTaskIT {

    private static final String UNSENDABLE = "http://[::1%lo]:8080/cb";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

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
    void aStoredUrlTheClientCannotSendIsAFailedAttemptAndTheOtherCallbacksOfItsPageAreDelivered() throws Exception {
        String unsendable = tasks.dueTask(UNSENDABLE, "s02", "c02");
        List<String> honest = List.of(
                tasks.dueTask(partner.url("/cb").toString()),
                tasks.dueTask(partner.url("/cb").toString()),
                tasks.dueTask(partner.url("/cb").toString()));
        for (int i = 0; i < honest.size(); i++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        }

        RuntimeException runFailure = catchRuntimeException(() -> notifyService.deliverAllDue());

        for (String teamId : honest) {
            assertThat(tasks.status(teamId))
                    .as("honest team %s delivered in the same run (run failure: %s)", teamId, runFailure)
                    .isEqualTo(1);
        }
        assertThat(partner.getRequestCount())
                .as("each honest callback sent once")
                .isEqualTo(honest.size());
        assertThat(tasks.status(unsendable))
                .as("the unsendable task waits for its retry")
                .isEqualTo(2);
        assertThat(tasks.count(unsendable)).isEqualTo(1);
        assertThat(tasks.attemptRows(unsendable)).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT last_error FROM notify_task WHERE team_id = ?", String.class, unsendable))
                .contains("IllegalArgumentException");
        assertThat(runFailure).as("the run itself").isNull();
    }

    @Test
    void theAfterCommitHandOffRecordsAnUnsendableUrlAsAFailedAttempt() {
        String unsendable = tasks.dueTask(UNSENDABLE, "s02", "c02");
        long taskId = jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, unsendable);

        RuntimeException failure = catchRuntimeException(() -> notifyService.deliver(taskId));

        assertThat(failure).as("the hand-off's delivery").isNull();
        assertThat(tasks.status(unsendable)).isEqualTo(2);
        assertThat(tasks.attemptRows(unsendable)).isEqualTo(1);
    }
}
