package com.groupbuy.market.domain.outbox.service;

import static com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryBatchTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.support.RunStop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instance's stop ({@link RunStop}) as a run sees it: no page claimed once it began, no further send of the page
 * in hand started, what the page did not send put back unsent (no try used, the lease released), what it sent
 * recorded. The deliveries handed over after a commit are no run: the stop leaves them alone.
 */
class DueCallbackDeliveryStopTest {

    @Test
    void aRunStartedAfterTheStopClaimsNothing() {
        RunStop stop = new RunStop();
        stop.stop();
        OnePageStore store = new OnePageStore(List.of(task(1, "HTTP"), task(2, "MQ"))).deferring();

        NotifyRunSummary run = service(store, task -> true, 1, stop).deliverAllDue();

        assertThat(run.claimed()).isZero();
        assertThat(store.claims).isZero();
    }

    @Test
    void aStopDuringAPageEndsItsSendsPutsTheRestBackAndRecordsWhatWasSent() {
        for (int concurrency : new int[] {1, 4}) {
            RunStop stop = new RunStop();
            OnePageStore store = new OnePageStore(
                            List.of(task(1, "HTTP"), task(2, "HTTP"), task(3, "HTTP"), task(4, "MQ"), task(5, "MQ")))
                    .deferring();
            List<Long> sent = new ArrayList<>();
            // The stop begins while the first callback is on its way.
            NotifyRunSummary run = service(
                            store,
                            task -> {
                                sent.add(task.getId());
                                stop.stop();
                                return true;
                            },
                            concurrency,
                            stop)
                    .deliverAllDue();

            assertThat(sent).as("concurrency %d", concurrency).containsExactly(1L);
            assertThat(store.finished)
                    .extracting(o -> o.task().getId())
                    .as("the callback sent is recorded")
                    .containsExactly(1L);
            assertThat(store.putBack).as("the rest put back unsent").containsExactly(2L, 3L, 4L, 5L);
            assertThat(store.putBackReasons).allMatch(SendOutcomes.STOPPED::equals);
            assertThat(store.deferCalls).as("put back by one store call").containsExactly(4);
            assertThat(store.claims).as("no further page").isEqualTo(1);
            assertThat(run.claimed()).isEqualTo(5);
        }
    }

    @Test
    void theDeliveriesHandedOverAfterACommitAreNoRunAndGoOnAfterTheStop() {
        RunStop stop = new RunStop();
        stop.stop();
        OnePageStore store = new OnePageStore(List.of()).deferring();
        List<Long> sent = new ArrayList<>();
        DueCallbackDeliveryService service = service(
                store,
                task -> {
                    sent.add(task.getId());
                    return true;
                },
                4,
                stop);

        service.deliverLeased(
                List.of(task(7, "HTTP"), task(8, "HTTP")), Instant.now().plus(Duration.ofMinutes(1)));

        assertThat(sent).containsExactlyInAnyOrder(7L, 8L);
        assertThat(store.putBack).isEmpty();
    }

    private static DueCallbackDeliveryService service(OnePageStore store, Send send, int concurrency, RunStop stop) {
        INotifyGateway gateway = task -> new DeliveryResult(send.delivered(task), 200, 1, null);
        return DeliveryServices.of(
                store,
                gateway,
                DeliveryServices.oneMinute(),
                Clock.systemUTC(),
                DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofMinutes(1))
                        .sendWindow(Duration.ofSeconds(5))
                        .batchWindow(Duration.ofSeconds(5))
                        .httpConcurrency(concurrency)
                        .build(),
                Runnable::run,
                stop);
    }

    private interface Send {
        boolean delivered(NotifyTaskVO task);
    }
}
