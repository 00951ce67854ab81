package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Close checks due further off than a delay lane carries, and checks anyone may publish to our close-check queue, on
 * the real RabbitMQ, MariaDB and Redis. RabbitMQ refuses a per-message expiration over 2^32 − 1 ms (about 49.7 days);
 * an activity's teams may be valid longer ({@code valid_time} is any positive number of minutes), and on main the
 * lock's team check was refused by the broker at every attempt. A forged check made us declare a lane per whole second
 * it had left; now the checks published again wait in the hop lanes, a fixed set of lengths ({@code DelayLeg}: 1, 2,
 * 4, … 2^22 seconds).
 * CloseCheckIT's settings. It counts the lanes this instance declares (its own topology's, on queues named for this
 * class only), which no other class's instance adds to, so it runs beside the others like CloseCheckIT; the chain's
 * first hop (8 s) has some 5 s to spare for its forged check's consumption.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=3s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.backstop-margin=2s",
            "gbm.close-check.retry-delay=50ms",
            // CloseCheckIT's settings but a 1 s early wait: the chain's lock is due 3 s sooner for as many hops.
            "gbm.close-check.early-wait=1s",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckHopsIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_hops_");
    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(15_400);
    /** The longest hop lane, 2^22 s (48.5 days). */
    private static final long LONGEST_HOP_SECONDS = 1L << 22;
    /** Every lane a test saw this instance declare, for the broker's clean-up. */
    private static final Set<String> LANES = ConcurrentHashMap.newKeySet();
    /**
     * About eleven years (4,015 days): a team valid this long (+ the 60 s grace) is due beyond what one lane carries,
     * and beyond what RabbitMQ 3.10 accepts as an expiration at all (315,360,000,000 ms, ten years); an activity's
     * {@code valid_time} is any number of minutes from 1 to 2^31 − 1.
     */
    private static final int FAR_MINUTES = 11 * 365 * 24 * 60;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    @AfterAll
    static void dropBrokerObjects() {
        // And the far team's nominal lane, which main declared.
        LANES.add(QUEUES.lane(FAR_MINUTES * 60L + 60 + "s"));
        QUEUES.delete(LANES.toArray(String[]::new));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    CloseCheckTopology topology;

    @Autowired
    MeterRegistry meters;

    /**
     * A team valid eleven years: its check goes out into the longest hop lane (48.5 days), and when it comes back early
     * it is published again toward the team's due time. On main the broker refused the check's expiration (406
     * PRECONDITION_FAILED, the channel closed) at every attempt, so the outbox row was never delivered, and a check
     * arriving early was acknowledged for the polling job.
     */
    @Test
    void aTeamValidLongerThanALaneCarriesHasItsCheckPublishedAndHopsTowardItsDueTime() throws Exception {
        TradeClient mall = newMall(FAR_MINUTES);
        String teamId = mall.team("far1");
        String checkId = jdbc.queryForObject(
                "SELECT webhook_id FROM notify_task WHERE team_id = ? AND notify_category = 'internal_close_team'",
                String.class,
                teamId);
        String unpaidId = jdbc.queryForObject(
                "SELECT webhook_id FROM notify_task WHERE team_id = ? AND notify_category = 'internal_close_unpaid'",
                String.class,
                teamId);
        await(() -> taskStatus(checkId) != 0 && taskStatus(unpaidId) != 0);
        assertThat(List.of(taskStatus(unpaidId), taskStatus(checkId)))
                .as("the lock's checks (unpaid, team) published and confirmed at the lock")
                .containsExactly(1, 1);
        String longestHop = QUEUES.lane(LONGEST_HOP_SECONDS + "s");
        assertThat(messages(longestHop)).as("waiting in the longest hop lane").isEqualTo(1);

        // As that hop comes back, 48.5 days before the team's due time: judged by the database, published again.
        Instant validEnd = jdbc.queryForObject(
                        "SELECT valid_end_time FROM group_buy_order WHERE team_id = ?", Timestamp.class, teamId)
                .toInstant();
        Instant due = validEnd.plusSeconds(60);
        String hopId = checkId + "-hop";
        publish(
                hopId,
                CloseCheckVO.teamExpiry(teamId, due, Duration.ofMinutes(FAR_MINUTES + 1))
                        .toJson());
        await(() -> recordStatus(hopId) == 1);
        await(() -> messages(longestHop) == 2);
        assertThat(counts.team(teamId)).as("never failed early").containsEntry("status", 0);
        LANES.addAll(declaredLanes());
    }

    /**
     * Eight forged checks of open teams due in about an hour, each under its own id, straight into the close-check
     * queue: each is published again once, into a hop lane. On main each went into the lane of the whole seconds it
     * had left, eight new lanes (a forger choosing the moments could make us declare any number).
     */
    @Test
    void forgedChecksAreRepublishedIntoTheHopLanesOnly_theLanesDeclaredAreBounded() throws Exception {
        TradeClient mall = newMall(15);
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String teamId = mall.team("forged" + i);
            teams.add(teamId);
            jdbc.update(
                    "UPDATE group_buy_order SET valid_end_time = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE team_id = ?",
                    3_600 + 37 * i,
                    teamId);
        }
        // The locks' own checks are out first (their lanes are the configured lengths).
        for (String teamId : teams) {
            await(() -> jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_status = 0",
                            Integer.class,
                            teamId)
                    == 0);
        }
        Set<String> before = new HashSet<>(declaredLanes());
        double lanesBefore = lanesGauge();
        long past = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < teams.size(); i++) {
            publish(
                    "forged-" + QUEUES.suffix() + "-" + i,
                    "{\"check\":\"team_expiry\",\"teamId\":\"" + teams.get(i) + "\",\"closeAt\":" + past
                            + ",\"delayMs\":0}");
        }
        await(() -> IntStream.range(0, teams.size())
                .allMatch(i -> recordStatus("forged-" + QUEUES.suffix() + "-" + i) == 1));

        Set<String> declared = new HashSet<>(declaredLanes());
        LANES.addAll(declared);
        declared.removeAll(before);
        assertThat(declared)
                .as("the checks published again wait in hop lanes only")
                .allSatisfy(lane -> assertThat(Long.bitCount(seconds(lane))).isEqualTo(1))
                .hasSizeLessThanOrEqualTo(1);
        assertThat(lanesGauge() - lanesBefore)
                .as("gbm.close-check.lanes counts the lanes declared since")
                .isEqualTo(declared.size());
        for (String teamId : teams) {
            assertThat(counts.team(teamId)).as("never failed early").containsEntry("status", 0);
        }
    }

    /**
     * A forged check (a deadline a minute ago) of a lock due in about 13 s: judged by the database, it hops toward the
     * lock's due time (8 s, then 4 s, the rest waited in place) alongside the lock's own check, and the chain ends in
     * one close at the due time, never before; every hop is a record of its own id, each run once.
     */
    @Test
    void aForgedChecksHopsEndInOneCloseAtTheLocksDueTimeNeverBefore() throws Exception {
        TradeClient mall = newMall(15);
        String user = "chain" + QUEUES.suffix();
        String teamId = mall.team(user);
        String orderId = jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE team_id = ? AND user_id = ?",
                String.class,
                teamId,
                user);
        // The lock as if taken 10 s from now: due 3 s (the unpaid timeout) after that. The first hop is 8 s while
        // 8 s or more are left when the forged check is read: some 5 s for its way in, under load beside others.
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) + INTERVAL 10 SECOND"
                        + " WHERE order_id = ?",
                orderId);
        Instant due = jdbc.queryForObject(
                        "SELECT create_time FROM group_buy_order_list WHERE order_id = ?", Timestamp.class, orderId)
                .toInstant()
                .plusSeconds(3);
        String forgedId = "chain-" + QUEUES.suffix();
        publish(
                forgedId,
                "{\"check\":\"unpaid_order\",\"teamId\":\"" + teamId + "\",\"orderId\":\"" + orderId + "\",\"closeAt\":"
                        + (System.currentTimeMillis() - 60_000) + "}");

        await(() -> orderStatus(orderId) == 2);
        Instant closedAt = jdbc.queryForObject(
                        "SELECT update_time FROM group_buy_order_list WHERE order_id = ?", Timestamp.class, orderId)
                .toInstant();
        assertThat(closedAt).as("never closed before its due time").isAfterOrEqualTo(due);
        await(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM mq_consumption_record WHERE consumer = ? AND message_id LIKE ?"
                                + " AND status <> 1",
                        Integer.class,
                        CloseCheckService.CONSUMER,
                        forgedId + "%")
                == 0);
        List<String> chain = jdbc.queryForList(
                "SELECT message_id FROM mq_consumption_record WHERE consumer = ? AND message_id LIKE ?",
                String.class,
                CloseCheckService.CONSUMER,
                forgedId + "%");
        assertThat(chain)
                .as("the forged check and its hops toward the due time, each once")
                .contains(forgedId, forgedId + "@" + due.toEpochMilli() + "~8")
                .doesNotHaveDuplicates()
                .hasSizeBetween(2, 4);
        LANES.addAll(declaredLanes());
    }

    private int orderStatus(String orderId) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE order_id = ?", Integer.class, orderId);
    }

    /** A mall whose activity's teams are valid {@code minutes}. */
    private TradeClient newMall(int minutes) {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        jdbc.update("UPDATE group_buy_activity SET valid_time = ? WHERE activity_id = ?", minutes, activityId);
        return mall;
    }

    private Set<String> declaredLanes() {
        return topology.lanesDeclared();
    }

    private double lanesGauge() {
        return meters.get("gbm.close-check.lanes").gauge().value();
    }

    private static long seconds(String lane) {
        return Long.parseLong(lane.substring(QUEUES.lanePrefix().length(), lane.length() - 1));
    }

    private int messages(String queue) {
        QueueInformation info = new RabbitAdmin(rabbit).getQueueInfo(queue);
        return info == null ? -1 : info.getMessageCount();
    }

    private int taskStatus(String webhookId) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE webhook_id = ?", Integer.class, webhookId);
    }

    private int recordStatus(String messageId) {
        return CloseCheckRecords.status(jdbc, messageId);
    }

    private void publish(String messageId, String body) {
        CloseCheckRecords.publish(rabbit, QUEUES.queue(), messageId, body);
    }
}
