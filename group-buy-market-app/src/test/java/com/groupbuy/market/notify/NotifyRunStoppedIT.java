package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.mq.AmqpNotifyGateway;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.RunsAlone;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator's "stop" in the XXL-Job console (or the job's own timeout) interrupts the thread running the job. With
 * one lane ({@code gbm.notify.run-lanes=1}) that thread is the lane: the run went on claiming page after page until
 * its budget, each MQ page published and its confirms' wait cut at once by the interrupt, so callbacks the broker took
 * were recorded as failed attempts (a try used each, sent again later, FAIL at the end of the schedule although
 * delivered every time). A stopped run now claims nothing more, and what it did not send stays untouched. (Several
 * lanes run on their own pool, which no stop interrupts: the job's thread only waits for them.)
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.run-lanes=1", "gbm.notify.jitter=0"})
class NotifyRunStoppedIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    RabbitTemplate notifyRabbitTemplate;

    @Autowired
    MqExchangeGuard exchangeGuard;

    @RegisterExtension
    final MallQueues queues = new MallQueues();

    @Test
    void aRunWhoseThreadWasInterruptedRecordsNoFailedAttemptForACallbackItPublished() throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        List<String> teams =
                List.of(tasks.dueMqTask("s01", "c01"), tasks.dueMqTask("s01", "c01"), tasks.dueMqTask("s01", "c01"));

        Thread.currentThread().interrupt(); // the console's stop, as XXL-Job's JobThread receives it
        try {
            notifyService.deliverAllDue();
        } finally {
            Thread.interrupted();
        }

        for (String team : teams) {
            boolean delivered = tasks.status(team) == 1;
            assertThat(delivered || (tasks.count(team) == 0 && tasks.attemptRows(team) == 0))
                    .as(
                            "team %s: delivered, or untouched (status %d, tries %d, attempts %d)",
                            team, tasks.status(team), tasks.count(team), tasks.attemptRows(team))
                    .isTrue();
        }

        notifyService.deliverAllDue();
        for (String team : teams) {
            assertThat(tasks.status(team))
                    .as("the next run delivers team %s", team)
                    .isEqualTo(1);
            assertThat(tasks.attemptRows(team)).isEqualTo(1);
            await(() -> !mall.forTeam(team).isEmpty());
        }
        Thread.sleep(500); // a second copy, had the stopped run published one, lands meanwhile
        for (String team : teams) {
            assertThat(mall.forTeam(team)).as("team %s told once", team).hasSize(1);
        }
    }

    /**
     * A stop that lands while a page's confirms are awaited (after its messages were published) no longer records
     * those the broker takes as failed attempts: each wait ran to the confirm, within the page's bound, and the
     * interrupt is kept for the run, which then claims nothing more. The wait for the first confirm not yet in was cut
     * at once, and with it every later one: "interrupted while waiting for the AMQP confirm", a try used, the callback
     * sent again although the broker had it. The interrupt is set here as the page's last message is built, so every
     * publish is written and most confirms are still on their way.
     */
    @Test
    void aStopWhileAPagesConfirmsAreAwaitedRecordsTheCallbacksTheBrokerTookAsDelivered() throws Exception {
        MallQueue mall = queues.bind("topic.jobsleft_stopped");
        int size = 50;
        AmqpNotifyGateway gateway = new AmqpNotifyGateway(
                notifyRabbitTemplate,
                exchangeGuard,
                (source, channel) -> {
                    if ("s-stop".equals(source)) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                },
                Clock.systemUTC(),
                Duration.ofSeconds(5));
        List<NotifyTaskVO> page = IntStream.range(0, size)
                .mapToObj(i -> NotifyTaskVO.builder()
                        .id(i)
                        .webhookId("msg_js" + i)
                        .teamId("js-" + i)
                        .source(i == size - 1 ? "s-stop" : "s01")
                        .channel("c01")
                        .notifyCategory("trade_settlement")
                        .notifyType("MQ")
                        .notifyMq("topic.jobsleft_stopped")
                        .body("{\"teamId\":\"js-" + i + "\"}")
                        .notifyCount(0)
                        .build())
                .toList();

        assertEveryOneTheBrokerTookIsDelivered(
                page, () -> gateway.deliverAll(page), () -> mall.received().size() == size);
    }

    /**
     * The same stop landing while a page of close checks awaits its confirms. Cut, every check whose confirm was still
     * on its way was a failed attempt although the broker had it: a try of its outbox row used and the check published
     * again on the backoff (a second copy for the consumer, and at the end of the schedule a FAIL, leaving the
     * order's close to the timeout job's backstop): 483 of a page of 2,000 on main, every check after the first confirm
     * not yet in. The page's checks are already due, so each goes straight to a close-check queue of the test's own,
     * which the test counts.
     */
    @Test
    void aStopWhileAPageOfCloseChecksAwaitsItsConfirmsRecordsTheChecksTheBrokerTookAsDelivered() throws Exception {
        String queue = "gbm_t_stopped_checks_" + UUID.randomUUID().toString().substring(0, 8);
        notifyRabbitTemplate.execute(channel -> channel.queueDeclare(queue, true, false, false, null));
        try {
            // A page large enough that confirms are still on their way when the wait begins: with 50 checks every
            // confirm was in by then, and the cut wait answered them all; with 2,000, 483 were cut on main.
            int size = 2000;
            Instant due = Instant.now().minusSeconds(1);
            // Each check's clock is read twice (its lane, then its message): the last read is the last message's.
            AtomicInteger reads = new AtomicInteger();
            Clock stopAtTheLastMessage = new Clock() {
                @Override
                public Instant instant() {
                    if (reads.incrementAndGet() == 2 * size) {
                        Thread.currentThread().interrupt();
                    }
                    return Instant.now();
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    throw new UnsupportedOperationException();
                }
            };
            CloseCheckPublisher publisher = new CloseCheckPublisher(
                    notifyRabbitTemplate,
                    new CloseCheckTopology(
                            notifyRabbitTemplate,
                            queue,
                            queue + ".dead",
                            queue + ".delay.",
                            CloseCheckTopology.Flavour.RABBITMQ),
                    stopAtTheLastMessage,
                    Duration.ofSeconds(5));
            List<NotifyTaskVO> page = IntStream.range(0, size)
                    .mapToObj(i -> NotifyTaskVO.builder()
                            .id(i)
                            .webhookId("chk_js" + i)
                            .teamId("cs-" + i)
                            .notifyType("DELAY")
                            .body("{\"orderId\":\"cs-" + i + "\",\"closeAt\":" + due.toEpochMilli()
                                    + ",\"delayMs\":1000}")
                            .notifyCount(0)
                            .build())
                    .toList();

            assertEveryOneTheBrokerTookIsDelivered(
                    page, () -> publisher.deliverAll(page), () -> messages(queue) == size);
        } finally {
            notifyRabbitTemplate.execute(channel -> channel.queueDelete(queue));
        }
    }

    /**
     * Delivers a page whose delivery sets the stop on its thread, waits until the broker holds every message, then
     * checks that none of them was recorded as a failed attempt and that the stop is still set for the run.
     */
    private static void assertEveryOneTheBrokerTookIsDelivered(
            List<NotifyTaskVO> page, Supplier<List<DeliveryResult>> deliver, BooleanSupplier brokerHasAll)
            throws InterruptedException {
        List<DeliveryResult> results;
        boolean stillInterrupted;
        try {
            results = deliver.get();
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        await(brokerHasAll);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            if (!results.get(i).delivered()) {
                failed.add(page.get(i).getTeamId() + ": " + results.get(i).error());
            }
        }
        assertThat(failed)
                .as("the broker took all %d, so none is a failed attempt", page.size())
                .isEmpty();
        assertThat(stillInterrupted).as("the stop is kept for the run").isTrue();
    }

    private int messages(String queue) {
        return notifyRabbitTemplate.execute(
                channel -> channel.queueDeclarePassive(queue).getMessageCount());
    }
}
