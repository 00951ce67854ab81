package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverySettings;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyBackoff;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.infrastructure.gateway.mq.AmqpNotifyGateway;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyDeferralDao;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyPageBytes;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskStore;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The MQ batch path against the real RabbitMQ (through a TCP proxy the test can cut) and the real outbox: a page of
 * MQ tasks is published together and its confirms awaited together, yet every task keeps its own outcome: a returned
 * message, a task whose lease another claimant took over meanwhile, and a connection lost mid-batch each fail only
 * the tasks they concern, and nothing is SUCCESS that the broker did not confirm. One lane, so a run's tasks are one
 * page and one batch by construction: with eight, how the lanes split them was timing, and a lane that published after
 * the cut on a new connection could deliver more than the batch published before it (seen once under load).
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.run-lanes=1"
        })
class MqBatchIT {

    private static final TcpProxy PROXY = startProxy();
    private static final String BOUND = "topic.team_success";
    private static final AtomicInteger SEQ = new AtomicInteger();

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.port", PROXY::port);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        PROXY.cut();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyTaskStore store;

    @Autowired
    AmqpNotifyGateway amqp;

    @Autowired
    RabbitTemplate notifyRabbitTemplate;

    @Autowired
    INotifyTaskDao taskDao;

    @Autowired
    INotifyDeferralDao deferrals;

    @Autowired
    SqlSessionFactory sessions;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    MeterRegistry meters;

    private MallQueue mall;

    @BeforeEach
    void setUp() throws Exception {
        jdbc.update("UPDATE notify_task SET notify_status = 1");
        mall = new MallQueue(BOUND);
    }

    @AfterEach
    void tearDown() throws Exception {
        notifyRabbitTemplate.setBeforePublishPostProcessors();
        mall.close();
    }

    @Test
    void aReturnedMessageInAPageFailsOnlyItsOwnTask() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            teams.add(insert(i == 4 ? "topic.team_success.unbound." + UUID.randomUUID() : BOUND));
        }
        String returned = teams.get(4);

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(10);
        assertThat(run.delivered()).isEqualTo(9);
        assertThat(run.retried()).isEqualTo(1);
        for (String team : teams) {
            assertThat(status(team))
                    .as(team)
                    .isEqualTo(team.equals(returned) ? NotifyTaskStatus.RETRY.code() : NotifyTaskStatus.SUCCESS.code());
        }
        assertThat(jdbc.queryForObject(
                        "SELECT a.error FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ?",
                        String.class,
                        returned))
                .contains("returned 312 NO_ROUTE");
        // One page, one batch: every attempt of it carries the batch's start.
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT a.attempt_time) FROM notify_attempt a "
                                + "JOIN notify_task t ON t.id = a.task_id WHERE t.team_id IN (" + placeholders(teams)
                                + ")",
                        Integer.class,
                        teams.toArray()))
                .isEqualTo(1);
        await(() -> teams.stream()
                .filter(t -> !t.equals(returned))
                .allMatch(t -> mall.forTeam(t).size() == 1));
        assertThat(mall.forTeam(returned)).isEmpty();
    }

    /**
     * A task whose routing key the outbox holds (64 characters) but AMQP cannot (64 four-byte characters are 256 bytes
     * of UTF-8; a key written under an earlier setting): the client refused its publish only while writing it, after
     * counting it for confirms. On main that failure stopped the page, so every task after it failed an attempt it
     * never had (and the channel waited for that confirm for good, out of the cache). Now it is not handed to the
     * client: its own attempt fails, naming why, and the rest of the page goes out.
     */
    @Test
    void aRoutingKeyTheWireCannotCarryFailsOnlyItsOwnTask() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            teams.add(insert(i == 4 ? "\uD83D\uDE00".repeat(64) : BOUND));
        }
        String unframeable = teams.get(4);

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(10);
        assertThat(run.delivered()).isEqualTo(9);
        assertThat(run.retried()).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT a.error FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ?",
                        String.class,
                        unframeable))
                .contains("routing key longer than 255 bytes");
        await(() -> teams.stream()
                .filter(t -> !t.equals(unframeable))
                .allMatch(t -> mall.forTeam(t).size() == 1));
    }

    @Test
    void aTaskOfTheBatchWhoseLeaseWasTakenOverIsNotFinishedAndTheOthersAre() throws Exception {
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            teams.add(insert(BOUND));
        }
        String takenOver = teams.get(2);
        // While the batch is out, another claimant takes one of its tasks (its lease ran out, say): a new token.
        INotifyGateway stealing = amqpAfter(batch -> jdbc.update(
                "UPDATE notify_task SET claim_token = 'another-claimant', claimed_by = 'other' WHERE team_id = ?",
                takenOver));
        DueCallbackDeliveryService service = oneLane(store, stealing);

        NotifyRunSummary run = service.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(10);
        assertThat(run.delivered())
                .as("recorded deliveries: the taken-over task is not ours to record")
                .isEqualTo(9);
        Map<String, Object> stolen = jdbc.queryForMap(
                "SELECT notify_status, notify_count, claim_token FROM notify_task " + "WHERE team_id = ?", takenOver);
        assertThat(stolen)
                .containsEntry("notify_status", NotifyTaskStatus.INIT.code())
                .containsEntry("notify_count", 0)
                .containsEntry("claim_token", "another-claimant");
        assertThat(new NotifyTaskFixture(jdbc).attemptRows(takenOver)).isZero();
        for (String team : teams) {
            if (!team.equals(takenOver)) {
                assertThat(status(team)).as(team).isEqualTo(NotifyTaskStatus.SUCCESS.code());
                assertThat(new NotifyTaskFixture(jdbc).attemptRows(team)).isEqualTo(1);
                assertThat(jdbc.queryForObject(
                                "SELECT claim_token IS NULL FROM notify_task WHERE team_id = ?", Integer.class, team))
                        .as("lease released")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aConnectionLostInTheMiddleOfABatchLeavesEveryUnconfirmedTaskToRetryAndNoneIsLost() throws Exception {
        // The connection is up and used once before, as in production.
        String warmUp = insert(BOUND);
        assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
        await(() -> mall.forTeam(warmUp).size() == 1);

        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            teams.add(insert(BOUND));
        }
        AtomicInteger published = new AtomicInteger();
        // Just before the 11th message of the batch goes out, the connection is cut.
        notifyRabbitTemplate.setBeforePublishPostProcessors(message -> {
            if (published.incrementAndGet() == 11) {
                try {
                    PROXY.cut();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return message;
        });
        NotifyRunSummary during = notifyService.deliverAllDue();
        notifyRabbitTemplate.setBeforePublishPostProcessors();

        assertThat(during.claimed()).isEqualTo(30);
        assertThat(during.delivered() + during.retried()).isEqualTo(30);
        assertThat(during.delivered())
                .as("at most the ten published before the cut, if confirmed in time")
                .isLessThanOrEqualTo(10);
        for (int i = 0; i < teams.size(); i++) {
            int status = status(teams.get(i));
            if (i >= 10) {
                assertThat(status).as("never published, task " + i).isEqualTo(NotifyTaskStatus.RETRY.code());
            } else {
                assertThat(status).isIn(NotifyTaskStatus.SUCCESS.code(), NotifyTaskStatus.RETRY.code());
            }
            assertThat(new NotifyTaskFixture(jdbc).attemptRows(teams.get(i))).isEqualTo(1);
        }
        // SUCCESS only on a confirm: every task recorded as delivered reached the mall's queue.
        List<String> confirmed = teams.stream()
                .filter(t -> status(t) == NotifyTaskStatus.SUCCESS.code())
                .toList();
        await(() -> confirmed.stream().allMatch(t -> !mall.forTeam(t).isEmpty()));

        PROXY.open();
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE notify_status = 2",
                Timestamp.from(Instant.now().minusSeconds(1)));
        NotifyRunSummary after = notifyService.deliverAllDue();

        assertThat(after.delivered()).isEqualTo(30 - during.delivered());
        assertThat(teams).allMatch(t -> status(t) == NotifyTaskStatus.SUCCESS.code());
        await(() -> teams.stream().allMatch(t -> !mall.forTeam(t).isEmpty()));
    }

    /**
     * A page is bounded in bytes of bodies too ({@code gbm.notify.page-bytes}, here 700,000): a completion callback
     * lists every member (a team of 10,000: ~1 MB), and a page of 250 such was read whole (783 MB of heap for one lane)
     * and published in one confirm window that only 50 of them made. Each claim leases the tasks, in order, whose
     * bodies fit together (a body larger than the page alone); the rest are the next pages; every task is published
     * once with its whole body, a page of one included. On main the seven went out as one page of 2.7 MB.
     */
    @Test
    void aPageTakesTheBodiesThatFitItsBytesAndTheNextPagesTakeTheRestEachPublishedOnce() throws Exception {
        long pageBytes = 700_000;
        int[] sizes = {300_000, 300_000, 300_000, 1_200_000, 300_000, 300_000, 300_000};
        Map<String, String> bodies = new LinkedHashMap<>();
        Instant due = Instant.now().minusSeconds(60);
        for (int i = 0; i < sizes.length; i++) {
            String teamId = String.format("p%07d", SEQ.incrementAndGet());
            String head = "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"";
            String body = head + "o".repeat(sizes[i] - head.length() - 3) + "\"]}";
            // Due one after the other: the pages' order is the tasks' order.
            insert(teamId, BOUND, body, due.plusMillis(i));
            bodies.put(teamId, body);
        }
        List<List<NotifyTaskVO>> pages = new CopyOnWriteArrayList<>();
        INotifyGateway recording = amqpAfter(batch -> pages.add(List.copyOf(batch)));
        NotifyTaskStore bounded =
                new NotifyTaskStore(taskDao, deferrals, sessions, transaction, meters, new NotifyPageBytes(pageBytes));
        DueCallbackDeliveryService service = oneLane(bounded, recording);

        NotifyRunSummary run = service.deliverAllDue();

        List<String> teams = List.copyOf(bodies.keySet());
        assertThat(pages.stream()
                        .map(page -> page.stream().map(NotifyTaskVO::getTeamId).toList())
                        .toList())
                .as("two fit, a third not with the big one, the big one alone, then two and the last")
                .containsExactly(
                        teams.subList(0, 2),
                        teams.subList(2, 3),
                        teams.subList(3, 4),
                        teams.subList(4, 6),
                        teams.subList(6, 7));
        for (List<NotifyTaskVO> page : pages) {
            for (NotifyTaskVO task : page) {
                assertThat(task.getBody())
                        .as("the whole body, read after the claim")
                        .isEqualTo(bodies.get(task.getTeamId()));
            }
        }
        assertThat(run.claimed()).isEqualTo(7);
        assertThat(run.delivered()).isEqualTo(7);
        for (String team : teams) {
            assertThat(status(team)).as(team).isEqualTo(NotifyTaskStatus.SUCCESS.code());
            assertThat(new NotifyTaskFixture(jdbc).attemptRows(team)).isEqualTo(1);
        }
        await(() -> teams.stream().allMatch(t -> mall.forTeam(t).size() == 1));
        for (String team : teams) {
            assertThat(mall.forTeam(team).get(0).body()).isEqualTo(bodies.get(team));
        }
    }

    /** The real MQ gateway, each batch first handed to {@code beforeBatch}. */
    private INotifyGateway amqpAfter(Consumer<List<NotifyTaskVO>> beforeBatch) {
        return new INotifyGateway() {
            @Override
            public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
                return amqp.groupBuyNotify(task);
            }

            @Override
            public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
                beforeBatch.accept(tasks);
                return amqp.deliverAll(tasks);
            }
        };
    }

    /** One lane, pages of 100, over {@code store} and {@code gateway}: a run's pages are sent one after the other. */
    private static DueCallbackDeliveryService oneLane(NotifyTaskStore store, INotifyGateway gateway) {
        return new DueCallbackDeliveryService(
                store,
                gateway,
                new NotifyBackoff(List.of(Duration.ofHours(1)), 0, () -> 0.5),
                Clock.systemUTC(),
                "w",
                DeliverySettings.builder(Duration.ofSeconds(60), 100, Duration.ofSeconds(30))
                        .sendWindow(Duration.ofSeconds(12))
                        .batchWindow(Duration.ofSeconds(5))
                        .build(),
                Runnable::run,
                new RunStop());
    }

    private String insert(String routingKey) {
        String teamId = String.format("b%07d", SEQ.incrementAndGet());
        insert(
                teamId,
                routingKey,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + teamId + "\"]}",
                Instant.now().minusSeconds(1));
        return teamId;
    }

    private void insert(String teamId, String routingKey, String body, Instant due) {
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                        + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                        + "next_attempt_time) VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', ?, 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "msg_batch" + teamId + UUID.randomUUID().toString().substring(0, 6),
                teamId,
                routingKey,
                body,
                Timestamp.from(due));
    }

    private int status(String teamId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    private static String placeholders(List<String> values) {
        return String.join(", ", values.stream().map(v -> "?").toList());
    }

    private static TcpProxy startProxy() {
        try {
            return TcpProxy.to(5672);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
