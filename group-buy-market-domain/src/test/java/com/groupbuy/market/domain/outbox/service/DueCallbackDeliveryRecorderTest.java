package com.groupbuy.market.domain.outbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deliveries outside a run: tasks handed over or of a team, claimed by id; and #19: the outcomes of tasks delivered
 * already leased go to the recorder handed in, not to the store, and the run's summary counts only the tasks not sent;
 * the recorder writes them later through {@code recordAttempts}.
 */
class DueCallbackDeliveryRecorderTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final OnePageStore store = new OnePageStore(List.of());
    private final INotifyGateway gateway = task ->
            task.getId() == 1 ? new DeliveryResult(true, 200, 1, null) : new DeliveryResult(false, 500, 1, "HTTP 500");
    private final DueCallbackDeliveryService service = DeliveryServices.onCallingThread(
            store,
            gateway,
            clock,
            DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(10))
                    .build());
    private final List<List<NotifyAttemptOutcome>> recorded = new ArrayList<>();

    @Test
    void theOutcomesGoToTheRecorderAndAreWrittenWhenItRecordsThem() {
        NotifyRunSummary run = service.deliverLeased(List.of(task(1), task(2)), NOW.plusSeconds(60), recorded::add);

        assertThat(run).isEqualTo(NotifyRunSummary.empty());
        assertThat(store.finished).isEmpty();
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0))
                .extracting(NotifyAttemptOutcome::newStatus)
                .containsExactly(NotifyTaskStatus.SUCCESS, NotifyTaskStatus.RETRY);

        assertThat(service.recordAttempts(recorded.get(0))).isEqualTo(new NotifyRunSummary(2, 1, 1, 0));
        assertThat(store.finished).containsExactlyElementsOf(recorded.get(0));
    }

    @Test
    void aPageWithNothingSentCallsNoRecorder() {
        service.deliverLeased(List.of(task(1)), NOW, recorded::add);

        assertThat(recorded).isEmpty();
        assertThat(store.finished).isEmpty();
    }

    @Test
    void tasksHandedOverOrOfATeamAreDeliveredWhenThisWorkerCanLeaseThem() {
        store.claimable.put(1L, task(1));
        store.claimable.put(2L, task(2));

        assertThat(service.deliverNow(List.of(1L, 3L))).isEqualTo(new NotifyRunSummary(1, 1, 0, 0));
        assertThat(service.deliverNow(List.of(3L))).isEqualTo(NotifyRunSummary.empty());
        assertThat(service.deliverTeamNow("t2")).isEqualTo(new NotifyRunSummary(1, 0, 1, 0));
        assertThat(store.finished).extracting(o -> o.task().getId()).containsExactly(1L, 2L);
    }

    private static NotifyTaskVO task(long id) {
        return NotifyTaskVO.builder()
                .id(id)
                .teamId("t" + id)
                .notifyType("HTTP")
                .notifyUrl("http://partner.example/cb")
                .body("{}")
                .claimToken("token" + id)
                .build();
    }
}
