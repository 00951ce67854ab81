package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Design §7: the original retried a failed callback once a day with no backoff, and retried transport errors forever.
 * A failed attempt — the partner's error answer or no answer at all — is retried at the backoff's next time after the
 * attempt, each try counted, and the attempt after the schedule's last wait moves the task to FAIL (an operator may
 * re-drive it). NotifyBackoffTest pins the schedule itself; this pins that the delivery obeys it: with the service's
 * {@code retriesAfter} bypassed (every failure RETRY) or its next time not set from the backoff, this test fails.
 */
class DueCallbackDeliveryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(15), Duration.ofMinutes(3));

    @Test
    void aFailedAttemptWithTriesLeftIsRetriedAtTheScheduledWaitAfterIt() {
        for (DeliveryResult failure : failures()) {
            assertThat(outcomeOfAttempt(1, failure))
                    .as(failure.error())
                    .extracting(NotifyAttemptOutcome::newStatus, NotifyAttemptOutcome::nextAttemptTime)
                    .containsExactly(NotifyTaskStatus.RETRY, NOW.plusSeconds(15));
            assertThat(outcomeOfAttempt(2, failure))
                    .as(failure.error())
                    .extracting(NotifyAttemptOutcome::newStatus, NotifyAttemptOutcome::nextAttemptTime)
                    .containsExactly(NotifyTaskStatus.RETRY, NOW.plus(Duration.ofMinutes(3)));
        }
    }

    @Test
    void theAttemptAfterTheScheduleIsOverFailsTheTaskForGood() {
        for (DeliveryResult failure : failures()) {
            assertThat(outcomeOfAttempt(SCHEDULE.size() + 1, failure).newStatus())
                    .as("a transport error or an error answer is not retried forever: " + failure.error())
                    .isEqualTo(NotifyTaskStatus.FAIL);
        }
    }

    /**
     * An attempt no retry can mend (an MQ callback larger than the broker's max_message_size) FAILs its task at its
     * first try, visible for an operator to re-drive, instead of being sent unchanged over the schedule's day.
     */
    @Test
    void anUndeliverableAttemptFailsTheTaskAtOnce() {
        DeliveryResult tooLarge = DeliveryResult.undeliverable(2, "AMQP message of 100000 bytes is larger than …");
        assertThat(outcomeOfAttempt(1, tooLarge).newStatus()).isEqualTo(NotifyTaskStatus.FAIL);
        assertThat(tooLarge.endpointWell()).as("no failure of the broker").isTrue();
    }

    @Test
    void aDeliveredAttemptIsASuccessWhateverItsNumber() {
        assertThat(outcomeOfAttempt(SCHEDULE.size() + 1, new DeliveryResult(true, 200, 1, null))
                        .newStatus())
                .isEqualTo(NotifyTaskStatus.SUCCESS);
    }

    private static List<DeliveryResult> failures() {
        return List.of(
                new DeliveryResult(false, null, 3, "ConnectException: Connection refused"),
                new DeliveryResult(false, null, 10_000, "SocketTimeoutException: timeout"),
                new DeliveryResult(false, 500, 3, "answered HTTP 500 body ''"));
    }

    /** The outcome recorded for the task's attempt number {@code attemptNo} (its count of tries so far + 1). */
    private static NotifyAttemptOutcome outcomeOfAttempt(int attemptNo, DeliveryResult result) {
        OnePageStore store = new OnePageStore(List.of(NotifyTaskVO.builder()
                .id(1)
                .teamId("t1")
                .notifyType("HTTP")
                .notifyUrl("http://partner.example/cb")
                .notifyCount(attemptNo - 1)
                .claimToken("token")
                .build()));
        INotifyGateway gateway = new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                return result;
            }

            @Override
            public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
                return tasks.stream().map(t -> result).toList();
            }
        };
        DeliveryServices.of(
                        store,
                        gateway,
                        new NotifyBackoff(SCHEDULE, 0, () -> 0.5),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(10))
                                .build(),
                        Runnable::run,
                        new RunStop())
                .deliverAllDue();
        assertThat(store.finished).hasSize(1);
        return store.finished.get(0);
    }
}
