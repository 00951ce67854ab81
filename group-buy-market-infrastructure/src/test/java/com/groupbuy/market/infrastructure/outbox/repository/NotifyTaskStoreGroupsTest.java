package com.groupbuy.market.infrastructure.outbox.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which outcomes of a page one UPDATE may finish together. */
class NotifyTaskStoreGroupsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:30:00.123Z");

    @Test
    void outcomesOfOneClaimStateAndErrorGoTogetherWhateverTheirTimes() {
        List<NotifyAttemptOutcome> page = List.of(
                delivered(1, "lease", 0),
                delivered(2, "one-by-one", 5),
                delivered(3, "lease", 9),
                failed(4, "lease", "HTTP 5xx"),
                delivered(5, "lease", 13),
                failed(6, "lease", "HTTP 5xx"),
                failed(7, "lease", "timeout"),
                delivered(8, null, 20),
                delivered(9, null, 21));

        assertThat(NotifyTaskStore.alikeGroups(page))
                .containsExactly(List.of(0, 2, 4), List.of(1), List.of(3, 5), List.of(6), List.of(7), List.of(8));
    }

    @Test
    void aPageOfOneClaimIsOneGroup() {
        assertThat(NotifyTaskStore.alikeGroups(List.of(delivered(1, "t", 0), delivered(2, "t", 40))))
                .containsExactly(List.of(0, 1));
    }

    /**
     * #19: a close check the broker confirmed gets no attempt row (nothing reads it); its failed publish keeps one, as
     * every partner callback's attempt does; a task whose lease was taken over gets none, as before.
     */
    @Test
    void aConfirmedCloseCheckAloneGetsNoAttemptRow() {
        NotifyAttemptOutcome confirmedCheck = ofType(delivered(1, "t", 0), "DELAY");
        NotifyAttemptOutcome failedCheck = ofType(failed(2, "t", "AMQP nack"), "DELAY");
        NotifyAttemptOutcome deliveredMq = ofType(delivered(3, "t", 0), "MQ");
        NotifyAttemptOutcome deliveredHttp = ofType(delivered(4, "t", 0), "HTTP");
        NotifyAttemptOutcome failedHttp = ofType(failed(5, "t", "HTTP 5xx"), "HTTP");
        NotifyAttemptOutcome takenOver = ofType(delivered(6, "t", 0), "MQ");
        List<NotifyAttemptOutcome> page =
                List.of(confirmedCheck, failedCheck, deliveredMq, deliveredHttp, failedHttp, takenOver);

        assertThat(NotifyTaskStore.attemptRows(page, List.of(true, true, true, true, true, false)))
                .containsExactly(failedCheck, deliveredMq, deliveredHttp, failedHttp);
        assertThat(NotifyTaskStore.attemptRows(List.of(confirmedCheck, confirmedCheck), List.of(true, true)))
                .isEmpty();
    }

    /** The outcome, its task of {@code type}. */
    private static NotifyAttemptOutcome ofType(NotifyAttemptOutcome outcome, String type) {
        NotifyTaskVO task = NotifyTaskVO.builder()
                .id(outcome.task().getId())
                .claimToken(outcome.task().getClaimToken())
                .notifyType(type)
                .build();
        return new NotifyAttemptOutcome(
                task, outcome.attemptTime(), outcome.result(), outcome.newStatus(), outcome.nextAttemptTime());
    }

    private static NotifyAttemptOutcome delivered(long id, String token, long millis) {
        Instant at = NOW.plusMillis(millis);
        return new NotifyAttemptOutcome(
                task(id, token), at, new DeliveryResult(true, 200, 2, null), NotifyTaskStatus.SUCCESS, at);
    }

    private static NotifyAttemptOutcome failed(long id, String token, String error) {
        return new NotifyAttemptOutcome(
                task(id, token),
                NOW,
                new DeliveryResult(false, 503, 2, error),
                NotifyTaskStatus.RETRY,
                NOW.plusSeconds(30));
    }

    private static NotifyTaskVO task(long id, String token) {
        return NotifyTaskVO.builder().id(id).claimToken(token).build();
    }
}
