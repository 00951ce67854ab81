package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Refunds over real HTTP, MariaDB and Redis, with the mall's callback endpoints real HTTP servers: each state has its
 * effect on the order, the team's counts and the Redis places, and the mall is told with the right type at the refund
 * URL it subscribed (never at its team-success URL), besides the refund event on MQ.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.settlement.blacklist=s03:c03")
class RefundIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(7000);
    /**
     * The refund URL s01/c01 subscribed (gbm.notify.refund-urls); one per application context, so a subclass
     * (ClusterRefundIT) gets a fresh one after this class closed its own.
     */
    private static PartnerReceiver REFUNDS;

    @DynamicPropertySource
    static void refundUrl(DynamicPropertyRegistry registry) {
        REFUNDS = PartnerReceiver.startOrFail();
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

    private PartnerReceiver partner;
    private TradeClient mall;
    private long activityId;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, partner.url());
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void unpaidLockIsClosedItsPlaceAndTakeFreedForNewLocksAndTheMallTold() throws Exception {
        String teamId = mall.team("u1", "u2", "u3");
        assertThat(mall.lock("u4", teamId).path("code").asText()).isEqualTo("E0006");

        JsonNode answer = mall.refund("u3");

        assertThat(answer.path("code").asText()).isEqualTo("0000");
        JsonNode data = answer.path("data");
        assertThat(fields(data)).containsExactly("userId", "orderId", "teamId", "code", "info");
        assertThat(data.path("code").asText()).isEqualTo("success");
        assertThat(data.path("userId").asText()).isEqualTo("u3");
        assertThat(data.path("teamId").asText()).isEqualTo(teamId);
        assertThat(data.path("info").asText()).startsWith("unpaid_unlock");
        assertThat(counts.orderStatus("u3")).isEqualTo(2);
        assertThat(counts.bizId("u3")).isNull();
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        await(() -> REFUNDS.callbacksFor("out-u3").size() == 1);
        JsonNode callback = REFUNDS.callbacksFor("out-u3").get(0);
        assertThat(fields(callback)).containsExactly("type", "userId", "teamId", "activityId", "orderId", "outTradeNo");
        assertThat(callback.path("type").asText()).isEqualTo("unpaid_unlock");
        assertThat(callback.path("orderId").asText())
                .isEqualTo(data.path("orderId").asText());
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "MQ"))
                .as("the refund event")
                .isEqualTo(1);
        assertThat(partner.callbacksFor("out-u3"))
                .as("nothing at the team-success URL")
                .isEmpty();

        assertThat(mall.lock("u4", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
        assertThat(mall.lock("u3", "").path("code").asText())
                .as("a closed order is not locked again")
                .isEqualTo("E0202");
        assertThat(mall.lock("u3", "", "out-u3-again").path("code").asText())
                .as("its take is free for a new order")
                .isEqualTo("0000");
    }

    @Test
    void paidMemberOfAnOpenTeamIsRefundedAndTheTeamCountsGoDown() throws Exception {
        String teamId = mall.team("p1", "p2");
        assertThat(mall.settle("p1").path("code").asText()).isEqualTo("0000");

        JsonNode data = mall.refund("p1").path("data");

        assertThat(data.path("code").asText()).isEqualTo("success");
        assertThat(data.path("info").asText()).startsWith("paid_unformed");
        assertThat(counts.team(teamId))
                .containsEntry("status", 0)
                .containsEntry("lock_count", 1)
                .containsEntry("complete_count", 0);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.orderStatus("p1")).isEqualTo(2);
        await(() -> REFUNDS.callbacksFor("out-p1").size() == 1);
        assertThat(REFUNDS.callbacksFor("out-p1").get(0).path("type").asText()).isEqualTo("paid_unformed");
        assertThat(counts.tasks(teamId, "trade_paid2refund", "HTTP")).isEqualTo(1);
        assertThat(partner.callbacksFor("out-p1")).isEmpty();
    }

    @Test
    void paidMembersOfAFormedTeamLeaveItCompleteWithARefundUntilTheLastMakesItFail() throws Exception {
        String teamId = mall.team("f1", "f2", "f3");
        for (String user : List.of("f1", "f2", "f3")) {
            assertThat(mall.settle(user).path("code").asText()).isEqualTo("0000");
        }
        assertThat(counts.team(teamId)).containsEntry("status", 1);

        assertThat(mall.refund("f1").path("data").path("code").asText()).isEqualTo("success");
        assertThat(counts.team(teamId))
                .containsEntry("status", 3)
                .containsEntry("complete_count", 2)
                .containsEntry("lock_count", 2);
        assertThat(mall.refund("f2").path("data").path("code").asText()).isEqualTo("success");
        assertThat(counts.team(teamId)).containsEntry("status", 3).containsEntry("complete_count", 1);
        assertThat(mall.refund("f3").path("data").path("code").asText()).isEqualTo("success");
        assertThat(counts.team(teamId))
                .containsEntry("status", 2)
                .containsEntry("complete_count", 0)
                .containsEntry("lock_count", 0);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(0);

        await(() -> List.of("out-f1", "out-f2", "out-f3").stream()
                .allMatch(o -> REFUNDS.callbacksFor(o).size() == 1));
        for (String out : List.of("out-f1", "out-f2", "out-f3")) {
            assertThat(REFUNDS.callbacksFor(out).get(0).path("type").asText()).isEqualTo("paid_formed");
            assertThat(partner.callbacksFor(out)).isEmpty();
        }
        assertThat(counts.tasks(teamId, "trade_paid_team2refund", "HTTP")).isEqualTo(3);
        assertThat(counts.tasks(teamId, "trade_settlement")).isEqualTo(1);
    }

    @Test
    void aPaymentNoticeRepeatedAfterTheRefundAnswersExactlyAsTheFirstTimeAndChangesNothing() throws Exception {
        String teamId = mall.team("n1", "n2");
        String paidAt = TradeClient.now();
        JsonNode first = mall.settle("n1", paidAt);
        assertThat(first.path("code").asText()).isEqualTo("0000");
        assertThat(mall.refund("n1").path("data").path("code").asText()).isEqualTo("success");
        Map<String, Object> orderAfterRefund = counts.order("n1");
        Map<String, Object> teamAfterRefund = counts.team(teamId);
        int tasksAfterRefund = tasks(teamId);

        JsonNode again = mall.settle("n1", paidAt);
        JsonNode laterNotice = mall.settle("n1");

        assertThat(again).as("the payment provider's redelivery after a refund").isEqualTo(first);
        assertThat(laterNotice).isEqualTo(first);
        assertThat(counts.order("n1")).isEqualTo(orderAfterRefund);
        assertThat(counts.team(teamId)).isEqualTo(teamAfterRefund);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(tasks(teamId)).isEqualTo(tasksAfterRefund);
        assertThat(counts.lateNotices("n1"))
                .as("it was paid in time: not a late payment")
                .isZero();
    }

    @Test
    void aFirstPaymentNoticeForALockTheMallRefundedUnpaidIsE0208AndRecordedAndChangesNothingElse() throws Exception {
        String teamId = mall.team("q1", "q2");
        assertThat(mall.refund("q1").path("data").path("info").asText()).startsWith("unpaid_unlock");
        Map<String, Object> orderBefore = counts.order("q1");
        Map<String, Object> teamBefore = counts.team(teamId);
        int tasksBefore = tasks(teamId);

        JsonNode late = mall.settle("q1");

        assertThat(late.path("code").asText()).isEqualTo("E0208");
        assertThat(late.path("info").asText()).isEqualTo("paid after the order was closed: refund the buyer");
        assertThat(late.path("data").isNull()).isTrue();
        assertThat(counts.lateNotices("q1")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT order_id FROM late_payment WHERE user_id = 'q1'", String.class))
                .isEqualTo(orderBefore.get("order_id"));
        assertThat(counts.order("q1")).isEqualTo(orderBefore);
        assertThat(counts.team(teamId)).isEqualTo(teamBefore);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(tasks(teamId)).isEqualTo(tasksBefore);
        assertThat(mall.settle("q2").path("code").asText())
                .as("the other member still pays")
                .isEqualTo("0000");
    }

    @Test
    void aPaymentRefusedForItsTradeTimeIsE0106AndRecordedOncePerOrderWhateverTheRepeats() throws Exception {
        String teamId = mall.team("w1", "w2");
        Map<String, Object> orderBefore = counts.order("w1");
        Map<String, Object> teamBefore = counts.team(teamId);
        String paidBeforeTheTeam =
                Long.toString(Instant.now().minusSeconds(3600).toEpochMilli());

        JsonNode refused = mall.settle("w1", paidBeforeTheTeam);
        JsonNode repeated = mall.settle("w1", paidBeforeTheTeam);

        assertThat(refused.path("code").asText()).isEqualTo("E0106");
        assertThat(repeated).isEqualTo(refused);
        assertThat(counts.order("w1"))
                .as("the order stays locked, for a refund")
                .isEqualTo(orderBefore);
        assertThat(counts.team(teamId)).isEqualTo(teamBefore);
        assertThat(counts.lateNotices("w1"))
                .as("the buyer paid and we refused it")
                .isEqualTo(2);
        assertThat(jdbc.queryForList(
                        "SELECT order_id, team_id, refusal, notice_count FROM late_payment WHERE user_id = 'w1'"))
                .as("the buyer paid and we refused: one row for operators, the repeat counted on it")
                .containsExactly(Map.of(
                        "order_id",
                        orderBefore.get("order_id"),
                        "team_id",
                        teamId,
                        "refusal",
                        "E0106",
                        "notice_count",
                        2));

        assertThat(mall.refund("w1").path("data").path("code").asText()).isEqualTo("success");
        assertThat(mall.settle("w1").path("code").asText()).isEqualTo("E0208");
        assertThat(jdbc.queryForList("SELECT refusal, notice_count FROM late_payment WHERE user_id = 'w1'"))
                .as("still one row per order, saying the latest refusal")
                .containsExactly(Map.of("refusal", "E0208", "notice_count", 3));
    }

    private int tasks(String teamId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    @Test
    void repeatingARefundAnswersRepeatForTheSameOrderAndChangesNothing() throws Exception {
        String teamId = mall.team("r1", "r2");
        JsonNode first = mall.refund("r1").path("data");

        JsonNode again = mall.refund("r1").path("data");

        assertThat(first.path("code").asText()).isEqualTo("success");
        assertThat(again.path("code").asText()).isEqualTo("repeat");
        for (String field : List.of("userId", "orderId", "teamId")) {
            assertThat(again.path(field)).isEqualTo(first.path(field));
        }
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "MQ"))
                .as("the refund event")
                .isEqualTo(1);
    }

    @Test
    void unknownOrderAnotherMallsSourceARefusedSourceAndBadInputHaveTheirCodesAndWriteNothing() throws Exception {
        String teamId = mall.team("x1");

        JsonNode unknown = mall.refund("nobody");
        JsonNode otherMall = mall.refund("x1", "s02", "c02");
        JsonNode refused = mall.refund("x1", "s03", "c03");
        JsonNode noUser = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"outTradeNo\":\"out-x1\",\"source\":\"s01\",\"channel\":\"c01\"}");
        HttpResponse<String> notJson = TestJson.post(port, "/api/v1/gbm/trade/refund_market_pay_order", "refund x1");

        assertThat(unknown.path("code").asText()).isEqualTo("E0104");
        assertThat(otherMall.path("code").asText()).isEqualTo("E0104");
        assertThat(refused.path("code").asText()).isEqualTo("E0105");
        assertThat(noUser.path("code").asText()).isEqualTo("0002");
        assertThat(noUser.path("info").asText()).contains("userId");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(fields(TestJson.JSON.readTree(notJson.body()))).containsExactly("code", "info", "data");
        assertThat(counts.orderStatus("x1")).isZero();
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class, activityId))
                .isZero();
    }

    @Test
    void refundRacingTheLastSettlementEndsInOneConsistentStateEveryTime() throws Exception {
        for (int run = 0; run < 20; run++) {
            String p = "race" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            mall.settle(p + "a");
            mall.settle(p + "b");

            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> {
                start.await();
                return mall.settle(p + "c");
            }));
            answers.add(pool.submit(() -> {
                start.await();
                return mall.refund(p + "b");
            }));
            start.countDown();
            assertThat(answers.get(0).get().path("code").asText()).isEqualTo("0000");
            assertThat(answers.get(1).get().path("data").path("code").asText()).isEqualTo("success");
            pool.shutdown();

            // Either the refund came first (the team stays open, one short) or the settlement formed the team first
            // (the refund leaves it complete with a refund); counts are the same and agree with Redis either way.
            assertThat(counts.team(teamId)).containsEntry("complete_count", 2).containsEntry("lock_count", 2);
            assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
            int status = (Integer) counts.team(teamId).get("status");
            if (status == 0) {
                assertThat(counts.tasks(teamId, "trade_settlement")).isZero();
                assertThat(counts.tasks(teamId, "trade_paid2refund", "HTTP")).isEqualTo(1);
            } else {
                assertThat(status).isEqualTo(3);
                assertThat(counts.tasks(teamId, "trade_settlement")).isEqualTo(1);
                assertThat(counts.tasks(teamId, "trade_paid_team2refund", "HTTP"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void locksRacingARefundForItsPlaceNeverOverfillTheTeamAndRedisAgreesWithTheDatabase() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int run = 0; run < 20; run++) {
                String p = "free" + run + "-";
                String teamId = mall.team(p + "a", p + "b", p + "c");
                CountDownLatch start = new CountDownLatch(1);
                Future<JsonNode> refund = pool.submit(() -> {
                    start.await();
                    return mall.refund(p + "c");
                });
                List<Future<JsonNode>> joins = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    String user = p + "j" + j;
                    joins.add(pool.submit(() -> {
                        start.await();
                        return mall.lock(user, teamId);
                    }));
                }
                start.countDown();
                assertThat(refund.get().path("data").path("code").asText()).isEqualTo("success");
                int joined = 0;
                for (Future<JsonNode> join : joins) {
                    String code = join.get().path("code").asText();
                    assertThat(code).isIn("0000", "E0006", "E0008", "E0005");
                    joined += code.equals("0000") ? 1 : 0;
                }

                assertThat(joined).isLessThanOrEqualTo(1);
                assertThat(counts.lockCount(teamId)).isEqualTo(2 + joined);
                assertThat(counts.redisPlaces(teamId)).isEqualTo(counts.lockCount(teamId));
            }
        } finally {
            pool.shutdown();
        }
    }
}
