package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.job.TimeoutRunMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Close checks written under shorter settings than the ones running now (a restart lengthened
 * {@code gbm.timeout.expiry-grace} or the unpaid timeout): each arrives at its own deadline, more than the early wait
 * (1 s here) before its team's or lock's due time of now, and goes back into a delay lane for that time. On main the team
 * check was acknowledged "team no longer open; nothing to do" (the team was open) and the unpaid one "left to the
 * polling job": both stayed open past their due time until the backstop, which counted them "found late" although no
 * check was lost. Real RabbitMQ, MariaDB and Redis; the polling job never runs on its own here (the local scheduler
 * is off in tests), so a close seen without calling it was made by the delay path. CloseCheckIT's settings but a 1 s
 * early wait (the default 5 s made each check wait out ten seconds, most of this class's time); timing (checks five
 * seconds early), so it runs alone.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@RunsAlone
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=3s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.backstop-margin=2s",
            "gbm.close-check.retry-delay=50ms",
            "gbm.close-check.early-wait=1s",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckGraceGrownIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_grace_");
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    @AfterAll
    static void dropBrokerObjects() {
        // The lock's lanes, and the hop lanes of the checks published again.
        QUEUES.delete(
                IntStream.rangeClosed(1, 30).mapToObj(s -> QUEUES.lane(s + "s")).toArray(String[]::new));
        QUEUES.delete(QUEUES.lane("960s"));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    CloseCheckPublisher publisher;

    @Autowired
    MeterRegistry meters;

    @Test
    void checksWrittenUnderShorterSettingsCloseAtTheNewDueTimeByTheDelayPath_theBackstopFindsNothingLate()
            throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 15_300, RECEIVER);
        // A team whose member paid (its unpaid check finds it paid), ended 53 s ago: due under the grace of now (60 s)
        // in 7 s. Its check as a lock wrote it under a grace of 55 s, due in 2 s, goes out as the relay sends it.
        String team = mall.team("g1");
        assertThat(mall.settle("g1").path("code").asText()).isEqualTo("0000");
        // An unpaid lock whose timeout of now runs 5 s longer than the one its check was written under (3 s): its lock
        // time moved 5 s on, before its own check comes back from the 3 s lane.
        String lockTeam = mall.team("g2");
        String unpaidCheck = jdbc.queryForObject(
                "SELECT webhook_id FROM notify_task WHERE team_id = ? AND notify_category = 'internal_close_unpaid'",
                String.class,
                lockTeam);
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = create_time + INTERVAL 5 SECOND WHERE user_id = 'g2'");
        Instant unpaidDue = time("SELECT create_time FROM group_buy_order_list WHERE user_id = 'g2'")
                .plusSeconds(3);
        jdbc.update(
                "UPDATE group_buy_order SET valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 53 SECOND WHERE team_id = ?",
                team);
        Instant validEnd = time("SELECT valid_end_time FROM group_buy_order WHERE team_id = '" + team + "'");
        Instant teamDue = validEnd.plusSeconds(60);
        String teamCheck = "msg_grace_team_" + QUEUES.suffix();
        List<DeliveryResult> sent = publisher.deliverAll(List.of(NotifyTaskVO.builder()
                .webhookId(teamCheck)
                .teamId(team)
                .notifyType("DELAY")
                .body(CloseCheckVO.teamExpiry(team, validEnd.plusSeconds(55), Duration.ofSeconds(3))
                        .toJson())
                .build()));
        assertThat(sent).allMatch(DeliveryResult::delivered);

        // Both come back at their own deadline (2 s, 3 s) and are acknowledged; neither is closed then.
        awaitFor(Duration.ofSeconds(15), () -> recordStatus(teamCheck) == 1 && recordStatus(unpaidCheck) == 1);
        assertThat(Instant.now())
                .as("this proof needs the checks back well before the due times")
                .isBefore(unpaidDue);
        assertThat(counts.team(team))
                .as("open until its end + the grace of now")
                .containsEntry("status", 0);
        assertThat(counts.orderStatus("g2"))
                .as("locked until its timeout of now")
                .isEqualTo(0);

        // Closed at the due times of now by the checks published again, without the polling job.
        awaitFor(
                Duration.ofSeconds(25),
                () -> ((Number) counts.team(team).get("status")).intValue() == 2 && counts.orderStatus("g2") == 2);
        // Published again toward the due time (ids <id>@<due ms>, a hop short of it ~<hop seconds> after).
        assertThat(statusesToward(teamCheck, teamDue))
                .as("the team failed by its check published again")
                .isNotEmpty()
                .containsOnly(1);
        assertThat(statusesToward(unpaidCheck, unpaidDue))
                .as("the lock closed by its check published again")
                .isNotEmpty()
                .containsOnly(1);
        assertThat(time("SELECT update_time FROM group_buy_order WHERE team_id = '" + team + "'"))
                .as("never failed before its due time of now")
                .isAfterOrEqualTo(teamDue);
        assertThat(time("SELECT update_time FROM group_buy_order_list WHERE user_id = 'g2'"))
                .as("never closed before its due time of now")
                .isAfterOrEqualTo(unpaidDue);
        assertThat(counts.orderStatus("g1")).as("a paid member is kept").isEqualTo(1);

        // Past the backstop margin (2 s): the polling job finds nothing left, nothing late.
        Thread.sleep(2_500);
        double lateTeams = foundLate("team");
        double lateOrders = foundLate("order");
        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();
        assertThat(run.foundLate()).isZero();
        assertThat(foundLate("team") - lateTeams).isZero();
        assertThat(foundLate("order") - lateOrders).isZero();
    }

    private Instant time(String sql) {
        return jdbc.queryForObject(sql, Timestamp.class).toInstant();
    }

    private int recordStatus(String messageId) {
        return CloseCheckRecords.status(jdbc, messageId);
    }

    /** The records of a check's messages published again toward {@code due}. */
    private List<Integer> statusesToward(String messageId, Instant due) {
        return jdbc.queryForList(
                "SELECT status FROM mq_consumption_record WHERE consumer = ? AND message_id LIKE ?",
                Integer.class,
                CloseCheckService.CONSUMER,
                messageId + "@" + due.toEpochMilli() + "%");
    }

    private double foundLate(String kind) {
        return meters.get(TimeoutRunMeter.METER).tag("kind", kind).counter().count();
    }

    private static void awaitFor(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + bound.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within " + bound.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
