package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.service.NotifyRetentionService;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The timeout job over real MariaDB, Redis and HTTP: unpaid locks past their limit close, teams past their validity
 * (and grace) fail and tell their members, a paid order is never closed as unpaid, and a second run changes nothing.
 * Time is moved by writing the rows' times back, never by waiting.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.timeout.unpaid-timeout=5m", "gbm.timeout.expiry-grace=60s"})
class TimeoutCloseIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(8000);
    /** The refund URL s01/c01 subscribed (gbm.notify.refund-urls): where members of a failed team are told. */
    private static final PartnerReceiver REFUNDS = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void refundUrl(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS::url);
    }

    @AfterAll
    static void closeRefundReceiver() {
        REFUNDS.close();
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
    NotifyRetentionService retention;

    private PartnerReceiver partner;
    private TradeClient mall;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        long activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, partner.url());
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void timeoutCloseAndSettlementRacingOnOneOrderNeverBothWin() throws Exception {
        int closed = 0, paid = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int run = 0; run < 200; run++) {
                String user = "t" + run;
                String teamId = mall.team(user);
                lockedMinutesAgo(user, 10);

                CountDownLatch start = new CountDownLatch(1);
                Future<JsonNode> settlement = pool.submit(() -> {
                    start.await();
                    return mall.settle(user);
                });
                Future<TimeoutRunSummary> close = pool.submit(() -> {
                    start.await();
                    return timeoutService.execTimeoutCloseJob();
                });
                start.countDown();
                String code = settlement.get().path("code").asText();
                close.get();

                if (code.equals("0000")) {
                    paid++;
                    assertThat(counts.lateNotices(user)).isZero();
                    assertThat(counts.orderStatus(user)).isEqualTo(1);
                    assertThat(counts.tasks(teamId, "trade_unpaid2refund")).isZero();
                    assertThat(counts.team(teamId))
                            .containsEntry("lock_count", 1)
                            .containsEntry("complete_count", 1);
                } else {
                    closed++;
                    assertThat(code)
                            .as("paid after the close: the mall refunds its buyer")
                            .isEqualTo("E0208");
                    assertThat(counts.lateNotices(user)).isEqualTo(1);
                    assertThat(counts.orderStatus(user)).isEqualTo(2);
                    assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP"))
                            .isEqualTo(1);
                    assertThat(counts.team(teamId))
                            .containsEntry("lock_count", 0)
                            .containsEntry("complete_count", 0);
                }
                assertThat(counts.redisPlaces(teamId)).isEqualTo(counts.lockCount(teamId));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(closed + paid).isEqualTo(200);
    }

    @Test
    void expiryOfAHalfPaidTeamFailsItClosesTheUnpaidPlaceAndTellsEveryMember() throws Exception {
        String teamId = mall.team("e1", "e2");
        mall.settle("e1");
        teamEndedSecondsAgo(teamId, 120);

        TimeoutRunSummary first = timeoutService.execTimeoutCloseJob();

        assertThat(first.expiredTeams()).isEqualTo(1);
        assertThat(first.closedUnpaid()).isEqualTo(1);
        assertThat(counts.team(teamId))
                .containsEntry("status", 2)
                .containsEntry("lock_count", 1)
                .containsEntry("complete_count", 1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.orderStatus("e1"))
                .as("a paid order stays paid; its mall refunds it")
                .isEqualTo(1);
        assertThat(counts.orderStatus("e2")).isEqualTo(2);
        assertThat(counts.bizId("e2")).isNull();
        await(() -> REFUNDS.callbacksFor("out-e1").size() == 1
                && REFUNDS.callbacksFor("out-e2").size() == 1);
        assertThat(REFUNDS.callbacksFor("out-e1").get(0).path("type").asText()).isEqualTo("paid_unformed");
        assertThat(REFUNDS.callbacksFor("out-e2").get(0).path("type").asText()).isEqualTo("unpaid_unlock");
        assertThat(partner.callbacksFor("out-e1"))
                .as("nothing at the team-success URL")
                .isEmpty();

        TimeoutRunSummary second = timeoutService.execTimeoutCloseJob();
        JsonNode refund = mall.refund("e1").path("data");

        assertThat(second).isEqualTo(new TimeoutRunSummary(0, 0, 0));
        assertThat(refund.path("code").asText()).isEqualTo("success");
        assertThat(counts.team(teamId))
                .containsEntry("status", 2)
                .containsEntry("lock_count", 0)
                .containsEntry("complete_count", 0);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(0);
        assertThat(counts.tasks(teamId, "trade_paid2refund", "HTTP"))
                .as("the mall was told once")
                .isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
        assertThat(mall.settle("e2").path("code").asText())
                .as("closed by the expiry before it was paid")
                .isEqualTo("E0208");
        assertThat(counts.lateNotices("e2")).isEqualTo(1);
    }

    /**
     * The expiry told the paid member's mall {@code paid_unformed}; the mall's refund of that order, however long after,
     * tells it nothing again — also once retention (7 days by default) has deleted the expiry's delivered callback,
     * whose task key alone kept the refund from writing it again (before 2026-12-04 the mall was told a second time,
     * under a new webhook-id). Eight days are passed by writing the delivered tasks' attempt time back.
     */
    @Test
    void aPaidMemberOfAnExpiredTeamRefundedAfterRetentionIsNotToldAgain() throws Exception {
        String teamId = mall.team("r1", "r2");
        mall.settle("r1");
        teamEndedSecondsAgo(teamId, 120);
        assertThat(timeoutService.execTimeoutCloseJob().expiredTeams()).isEqualTo(1);
        await(() -> REFUNDS.callbacksFor("out-r1").size() == 1
                && jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_type = 'HTTP' "
                                        + "AND notify_status = 1",
                                Integer.class,
                                teamId)
                        == 2);
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 8 DAY "
                        + "WHERE team_id = ? AND notify_status = 1",
                teamId);
        assertThat(retention.execRetention().deletedTasks()).isGreaterThanOrEqualTo(2);
        assertThat(counts.tasks(teamId, "trade_paid2refund", "HTTP")).isZero();
        long lastTask = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM notify_task", Long.class);

        assertThat(mall.refund("r1").path("data").path("code").asText()).isEqualTo("success");

        assertThat(counts.orderStatus("r1")).isEqualTo(2);
        assertThat(jdbc.queryForList(
                        "SELECT task_key FROM notify_task WHERE team_id = ? AND id > ?",
                        String.class,
                        teamId,
                        lastTask))
                .as("the expiry told the mall; its refund owes no second callback")
                .isEmpty();
        Thread.sleep(300);
        assertThat(REFUNDS.callbacksFor("out-r1"))
                .as("told once, eight days ago")
                .hasSize(1);
    }

    @Test
    void aTeamWithinItsGraceAfterTheEndStaysOpenForALateSettlement() throws Exception {
        String teamId = mall.team("g1");
        teamEndedSecondsAgo(teamId, 10);

        TimeoutRunSummary summary = timeoutService.execTimeoutCloseJob();

        assertThat(summary.expiredTeams()).isZero();
        assertThat(counts.team(teamId)).containsEntry("status", 0);
        assertThat(counts.orderStatus("g1")).isZero();
    }

    @Test
    void onlyUnpaidLocksOlderThanTheLimitCloseAndAPaidOrderIsNeverClosed() throws Exception {
        String young = mall.team("y1");
        String old = mall.team("o1");
        String paid = mall.team("m1");
        lockedMinutesAgo("o1", 6);
        assertThat(mall.settle("m1").path("code").asText()).isEqualTo("0000");
        lockedMinutesAgo("m1", 30);

        TimeoutRunSummary summary = timeoutService.execTimeoutCloseJob();

        assertThat(summary.closedUnpaid()).isEqualTo(1);
        assertThat(counts.orderStatus("y1")).isZero();
        assertThat(counts.orderStatus("o1")).isEqualTo(2);
        assertThat(counts.orderStatus("m1")).isEqualTo(1);
        assertThat(counts.lockCount(young)).isEqualTo(1);
        assertThat(counts.lockCount(old)).isZero();
        assertThat(counts.redisPlaces(old)).isZero();
        assertThat(counts.team(paid)).containsEntry("lock_count", 1).containsEntry("complete_count", 1);
        assertThat(counts.tasks(old, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
        assertThat(counts.tasks(paid, "trade_unpaid2refund")).isZero();
    }

    @Test
    void aPaymentForALockTheTimeoutClosedIsE0208AndRecordedAndChangesNothingElse() throws Exception {
        String teamId = mall.team("late1", "late2");
        lockedMinutesAgo("late1", 10);
        assertThat(timeoutService.execTimeoutCloseJob().closedUnpaid()).isEqualTo(1);
        Map<String, Object> orderBefore = counts.order("late1");
        Map<String, Object> teamBefore = counts.team(teamId);
        int tasksBefore =
                jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId);

        JsonNode first = mall.settle("late1");
        JsonNode again = mall.settle("late1");

        assertThat(first.path("code").asText()).isEqualTo("E0208");
        assertThat(first.path("info").asText()).contains("refund the buyer");
        assertThat(first.path("data").isNull()).isTrue();
        assertThat(again).as("a repeated notice is answered the same").isEqualTo(first);
        Map<String, Object> recorded = jdbc.queryForMap("SELECT order_id, source, channel, team_id, notice_count "
                + "FROM late_payment WHERE user_id = 'late1'");
        assertThat(recorded)
                .containsEntry("order_id", orderBefore.get("order_id"))
                .containsEntry("source", "s01")
                .containsEntry("channel", "c01")
                .containsEntry("team_id", teamId)
                .containsEntry("notice_count", 2);
        assertThat(counts.order("late1")).isEqualTo(orderBefore);
        assertThat(counts.team(teamId)).isEqualTo(teamBefore);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(tasksBefore);
    }

    private void lockedMinutesAgo(String userId, int minutes) {
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) - INTERVAL ? MINUTE "
                        + "WHERE user_id = ? AND out_trade_no = ?",
                minutes,
                userId,
                "out-" + userId);
    }

    private void teamEndedSecondsAgo(String teamId, int seconds) {
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL ? SECOND WHERE team_id = ?",
                seconds,
                teamId);
    }
}
