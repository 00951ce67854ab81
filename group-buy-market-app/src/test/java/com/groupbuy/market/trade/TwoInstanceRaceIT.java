package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.RaceRounds.answered;
import static com.groupbuy.market.trade.RaceRounds.call;
import static com.groupbuy.market.trade.RaceRounds.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Different use cases on one team at once, their two sides on two instances of one deployment (A this test's
 * context, B a {@link SecondInstance} on the same database and Redis, each with its own lock and settlement
 * group-commit writers, timeout job and notify delivery), many rounds: the last place's join on A while a member's
 * refund on B, a team's last two payments split over A and B, a payment on A while B's timeout job closes it, one
 * partner's same lock sent to both, a refund on A while B completes the team and delivers its callback, another
 * partner naming the order on A while its own partner pays it on B. After each round the invariants of
 * {@link RaceRounds#checkTeam} and every answer an envelope with a code the race allows. The rounds it shares with
 * {@link CrossUseCaseRaceIT} are {@link RaceTeams}', side a on A and side b on B.
 */
@IntegrationTest
@TestPropertySource(properties = {TwoInstanceRaceIT.UNPAID, TwoInstanceRaceIT.GRACE, TwoInstanceRaceIT.REFUND_URL})
class TwoInstanceRaceIT {

    static final String UNPAID = "gbm.timeout.unpaid-timeout=5m";
    static final String GRACE = "gbm.timeout.expiry-grace=0s";
    static final String REFUND_URL = "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund";
    /** Both instances' writers wait 2 ms for more, so each race's writes share batches where they can. */
    private static final String[] B_SETTINGS = {
        UNPAID, GRACE, REFUND_URL, "gbm.lock.group-commit.max-wait=2ms", "gbm.settlement.group-commit.max-wait=2ms"
    };

    private static final AtomicInteger ACTIVITY = new AtomicInteger(32700);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final int RUNS = Integer.getInteger("race.runs", 3);

    private static SecondInstance second;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    Environment environment;

    @Autowired
    DueCallbackDeliveryService deliveries;

    @Autowired
    TradeTimeoutService timeouts;

    @BeforeEach
    void instanceB() {
        if (second == null) {
            second = SecondInstance.like(environment, B_SETTINGS);
        }
    }

    @AfterAll
    static void stopB() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @Test
    void theLastPlaceJoinedOnAWhileAMemberRefundsOnBIsTakenWithinTheTarget() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "j" + run + "-";
            String teamId = mall.a.team(p + "a", p + "b");
            assertThat(code(mall.b.settle(p + "a"))).isEqualTo("0000");
            List<JsonNode> answers = Race.run(
                    4,
                    i -> call(() -> switch (i) {
                        case 0 -> mall.a.lock(p + "c", teamId);
                        case 1 -> mall.b.lock(p + "d", teamId);
                        case 2 -> mall.b.refund(p + "b");
                        default -> mall.a.lock(p + "e", teamId);
                    }));
            RaceRounds.refundSucceeded(run, answers, 2);
            int joined = 0;
            for (int i : new int[] {0, 1, 3}) {
                String code = answered(run, answers, i, "0000", "E0005", "E0006", "E0008");
                joined += RaceRounds.rowOnlyIfLocked(jdbc, run, p + (i == 0 ? "c" : i == 1 ? "d" : "e"), code, answers);
            }
            assertThat(joined)
                    .as("run %d: one place free, one freed %s", run, answers)
                    .isBetween(1, 2);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aTeamsLastTwoPaymentsSplitOverBothInstancesCompleteItOnce() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "s" + run + "-";
            String teamId = mall.a.team(p + "a", p + "b", p + "c");
            assertThat(code(mall.a.settle(p + "a"))).isEqualTo("0000");
            String paidAt = TradeClient.now();
            // Each notice sent to both instances, as a mall retrying through a load balancer.
            List<JsonNode> answers = Race.run(
                    4, i -> call(() -> (i % 2 == 0 ? mall.a : mall.b).settle(p + (i < 2 ? "b" : "c"), paidAt)));
            for (JsonNode answer : answers) {
                assertThat(code(answer)).as("run %d %s", run, answers).isEqualTo("0000");
            }
            assertThat(counts.team(teamId))
                    .as("run %d %s", run, answers)
                    .containsEntry("status", 1)
                    .containsEntry("complete_count", 3);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aNoticeOutsideTheWindowOnBRacingOneInsideOnAIsRecordedOnlyWhenRefused() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().aNoticeOutsideTheWindowRacingOneInsideIt(run, "w" + run + "-", mall.a, mall.b);
        }
    }

    @Test
    void theLastMembersPaymentOnBRacingItsRefundOnAAndAJoinOnBAgree() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "k" + run + "-";
            String teamId = RaceTeams.twoOfThreePaid(mall.a, mall.a, mall.b, p);
            List<JsonNode> answers = Race.run(
                    3,
                    i -> call(() -> switch (i) {
                        case 0 -> mall.b.settle(p + "c");
                        case 1 -> mall.a.refund(p + "c");
                        default -> mall.b.lock(p + "d", teamId);
                    }));
            String settled = answered(run, answers, 0, "0000", "E0208");
            answered(run, answers, 1, "0000");
            assertThat(answers.get(1).path("data").path("info").asText())
                    .as("run %d %s", run, answers)
                    .startsWith(settled.equals("0000") ? "paid_formed" : "unpaid_unlock");
            String joined = answered(run, answers, 2, "0000", "E0005", "E0006", "E0008", "E0206");
            RaceRounds.rowOnlyIfLocked(jdbc, run, p + "d", joined, answers);
            RaceRounds.lateOnlyWhenAnswered(counts, run, p + "c", settled, "E0208", answers);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aPaymentOnAWhileTheTimeoutJobOfBClosesTheOrderAgree() throws Exception {
        Mall mall = mall(RECEIVER);
        TradeTimeoutService timeoutsOfB = second.bean(TradeTimeoutService.class);
        for (int run = 0; run < RUNS; run++) {
            String p = "t" + run + "-";
            String teamId = overdueLastMember(mall, p);
            String paidAt = TradeClient.now();
            List<JsonNode> answers = Race.run(3, i -> switch (i) {
                case 0 -> call(() -> mall.a.settle(p + "c", paidAt));
                case 1 -> call(() -> mall.b.settle(p + "c", paidAt));
                default ->
                    TestJson.JSON.valueToTree(timeoutsOfB.execTimeoutCloseJob().toString());
            });
            String settled = answered(run, answers, 0, "0000", "E0208");
            assertThat(code(answers.get(1)))
                    .as("run %d: both notices alike %s", run, answers)
                    .isEqualTo(settled);
            assertThat(counts.orderStatus(p + "c"))
                    .as("run %d %s", run, answers)
                    .isEqualTo(settled.equals("0000") ? 1 : 2);
            int late = counts.lateNotices(p + "c");
            if (settled.equals("0000")) {
                assertThat(late).as("run %d: no late payment %s", run, answers).isZero();
            } else {
                assertThat(late).as("run %d: recorded late %s", run, answers).isBetween(1, 2);
            }
            RaceRounds.completedOnlyWhenPaid(counts, run, teamId, settled, answers);
            checkTeam(run, teamId);
        }
    }

    @Test
    void onePartnersSameLockSentToBothInstancesIsOneOrder() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "o" + run + "-";
            List<JsonNode> opened = Race.run(4, i -> call(() -> (i % 2 == 0 ? mall.a : mall.b).lock(p + "u", "")));
            String teamId = opened.get(0).path("data").path("teamId").asText();
            String orderId = opened.get(0).path("data").path("orderId").asText();
            for (JsonNode answer : opened) {
                assertThat(code(answer)).as("run %d %s", run, opened).isEqualTo("0000");
                assertThat(answer.path("data").path("teamId").asText())
                        .as("run %d %s", run, opened)
                        .isEqualTo(teamId);
                assertThat(answer.path("data").path("orderId").asText())
                        .as("run %d %s", run, opened)
                        .isEqualTo(orderId);
            }
            List<JsonNode> joined = Race.run(4, i -> call(() -> (i % 2 == 0 ? mall.a : mall.b).lock(p + "v", teamId)));
            String joinId = joined.get(0).path("data").path("orderId").asText();
            for (JsonNode answer : joined) {
                assertThat(code(answer)).as("run %d %s", run, joined).isEqualTo("0000");
                assertThat(answer.path("data").path("orderId").asText())
                        .as("run %d %s", run, joined)
                        .isEqualTo(joinId);
            }
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order WHERE leader_user_id = ?", Integer.class, p + "u"))
                    .as("run %d: one team opened %s", run, opened)
                    .isEqualTo(1);
            assertThat(counts.lockCount(teamId)).as("run %d %s", run, joined).isEqualTo(2);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aRefundOnAWhileBCompletesTheTeamAndDeliversItsCallbackTellsThePartnerOnce() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            Mall mall = mall(partner.url());
            List<String> completed = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                String p = "r" + run + "-";
                String teamId = RaceTeams.twoOfThreePaid(mall.a, mall.a, mall.b, p);
                List<JsonNode> answers = Race.run(3, i -> switch (i) {
                    case 0 -> call(() -> mall.b.settle(p + "c"));
                    case 1 -> call(() -> mall.a.refund(p + "a"));
                    default ->
                        TestJson.JSON.valueToTree(
                                deliveries.deliverTeamNow(teamId).toString());
                });
                answered(run, answers, 0, "0000");
                answered(run, answers, 1, "0000");
                String refunded = answers.get(1).path("data").path("info").asText();
                assertThat(refunded).as("run %d %s", run, answers).matches("paid_(formed|unformed).*");
                Map<String, Object> team = counts.team(teamId);
                assertThat(team.get("status"))
                        .as("run %d %s %s", run, answers, team)
                        .isEqualTo(refunded.startsWith("paid_formed") ? 3 : 0);
                if (refunded.startsWith("paid_formed")) {
                    completed.add(teamId);
                }
                assertThat(jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category <> ? "
                                        + "AND notify_type = 'HTTP'",
                                Integer.class,
                                teamId,
                                "trade_settlement"))
                        .as("run %d: the refund's callback %s", run, answers)
                        .isEqualTo(1);
                checkTeam(run, teamId);
            }
            TestJson.await(() -> jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE notify_category = 'trade_settlement' "
                                    + "AND notify_status = 1 AND notify_url = ?",
                            Integer.class,
                            partner.url())
                    == completed.size());
            for (String teamId : completed) {
                assertThat(partner.received().stream()
                                .filter(body -> body.path("teamId").asText().equals(teamId))
                                .count())
                        .as("completion callbacks of team %s: %s", teamId, partner.received())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void anotherPartnerNamingTheOrderOnAWhileItsPartnerPaysItOnBChangesNothing() throws Exception {
        Mall mall = mall(RECEIVER);
        new MarketConfigFixture(jdbc).soldThrough("s02", "c02", mall.goodsId, mall.activityId);
        for (int run = 0; run < RUNS; run++) {
            String p = "x" + run + "-";
            String teamId = RaceTeams.twoOfThreePaid(mall.a, mall.a, mall.a, p);
            String user = p + "c";
            List<JsonNode> answers = Race.run(
                    5,
                    i -> call(() -> switch (i) {
                        case 0 -> mall.b.settle(user);
                        case 1 -> other(port, "settlement_market_pay_order", settleBody(user));
                        case 2 -> other(port, "refund_market_pay_order", refundBody(user));
                        case 3 -> other(port, "lock_market_pay_order", lockBody(mall, user, teamId));
                        default -> other(second.port(), "refund_market_pay_order", refundBody(user));
                    }));
            answered(run, answers, 0, "0000");
            answered(run, answers, 1, "E0104");
            answered(run, answers, 2, "E0104");
            answered(run, answers, 3, "E0205");
            answered(run, answers, 4, "E0104");
            assertThat(counts.orderStatus(user)).as("run %d %s", run, answers).isEqualTo(1);
            for (String table : List.of("group_buy_order_list", "late_payment", "notify_task", "group_buy_order")) {
                assertThat(jdbc.queryForObject(
                                "SELECT COUNT(*) FROM " + table + " WHERE source = 's02'", Integer.class))
                        .as("run %d: nothing of s02 in %s %s", run, table, answers)
                        .isZero();
            }
            assertThat(counts.team(teamId)).as("run %d", run).containsEntry("status", 1);
            checkTeam(run, teamId);
        }
    }

    @Test
    void everyPaidMemberOfAFormedTeamRefundedOnBothInstancesFailsItOnce() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().everyPaidMemberOfAFormedTeamRefunded(run, "g" + run + "-", mall.a, mall.b);
        }
    }

    @Test
    void theLastPlaceTakenOnBothInstancesAsBExpiresTheTeamIsTakenOnceAndClosedWithIt() throws Exception {
        Mall mall = mall(RECEIVER);
        TradeTimeoutService timeoutsOfB = second.bean(TradeTimeoutService.class);
        for (int run = 0; run < RUNS; run++) {
            teams().theLastPlaceTakenAsTheTeamEnds(run, "e" + run + "-", mall.a, mall.b, timeoutsOfB);
        }
    }

    @Test
    void aLockOnAAndARefundOnBOfOneUserKeepTheTakeLimitAndThePlaces() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().aLockAndARefundOfOneUser(run, "l" + run + "-", mall.a, mall.b);
        }
    }

    @Test
    void anUnpaidOrderPaidOnARefundedOnBAndClosedByBothTimeoutJobsEndsOneWay() throws Exception {
        Mall mall = mall(RECEIVER);
        TradeTimeoutService timeoutsOfB = second.bean(TradeTimeoutService.class);
        for (int run = 0; run < RUNS; run++) {
            teams().aPaymentARefundAndTheTimeoutCloseOfOneOrder(
                            run, "u" + run + "-", mall.a, mall.b, timeoutsOfB, timeouts);
        }
    }

    @Test
    void aTeamOpenedOnAWhileBRefundsItsOpenerKeepsItsPlacesForJoiners() throws Exception {
        Mall mall = mall(RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "q" + run + "-";
            String u = p + "u";
            List<JsonNode> answers =
                    Race.run(2, i -> i == 0 ? call(() -> mall.a.lock(u, "")) : refundOnceLocked(mall.b, u));
            answered(run, answers, 0, "0000");
            assertThat(answers.get(1).path("data").path("code").asText())
                    .as("run %d %s", run, answers)
                    .isEqualTo("success");
            String teamId = answers.get(0).path("data").path("teamId").asText();
            checkTeam(run, teamId);
            List<JsonNode> joins = Race.run(3, i -> call(() -> (i == 1 ? mall.b : mall.a).lock(p + "j" + i, teamId)));
            for (JsonNode join : joins) {
                assertThat(code(join))
                        .as("run %d: three places free %s", run, joins)
                        .isEqualTo("0000");
            }
            checkTeam(run, teamId);
        }
    }

    /** The user's refund sent until it finds the order (E0104 before the lock committed), at most 10 s. */
    private static JsonNode refundOnceLocked(TradeClient instance, String user) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode answer;
        do {
            answer = call(() -> instance.refund(user));
        } while (code(answer).equals("E0104") && System.currentTimeMillis() < deadline);
        return answer;
    }

    @Test
    void paidMembersRefundedOnBothInstancesAsBExpiresTheirTeamAreToldOnceEach() throws Exception {
        Mall mall = mall(RECEIVER);
        TradeTimeoutService timeoutsOfB = second.bean(TradeTimeoutService.class);
        for (int run = 0; run < RUNS; run++) {
            String p = "m" + run + "-";
            String teamId = RaceTeams.twoOfThreePaid(mall.a, mall.a, mall.b, p);
            long expireAfter = teams().endSoon(run, teamId);
            String paidAt = TradeClient.now();
            List<JsonNode> answers = Race.run(5, i -> switch (i) {
                case 0 -> call(() -> mall.a.refund(p + "a"));
                case 1 -> call(() -> mall.b.refund(p + "b"));
                case 2 -> call(() -> mall.a.settle(p + "c", paidAt));
                case 3 -> call(() -> mall.b.lock(p + "d", teamId));
                default -> {
                    Thread.sleep(expireAfter);
                    yield BooleanNode.valueOf(timeoutsOfB.expireTeamNow(teamId));
                }
            });
            answered(run, answers, 0, "0000");
            answered(run, answers, 1, "0000");
            answered(run, answers, 2, "0000", "E0206", "E0208", "E0106");
            answered(run, answers, 3, "0000", "E0005", "E0006", "E0008", "E0206");
            boolean failed = ((Number) counts.team(teamId).get("status")).intValue() == 2;
            for (String member : List.of("a", "b", "c", "d")) {
                String user = p + member;
                List<Integer> status = jdbc.queryForList(
                        "SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, user);
                int told = jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task t JOIN group_buy_order_list o ON o.user_id = ? "
                                + "WHERE t.team_id = ? AND t.notify_type = 'HTTP' "
                                + "AND t.notify_category LIKE 'trade\\_%2refund' AND t.task_key LIKE "
                                + "CONCAT('%', o.order_id, '%')",
                        Integer.class, user, teamId);
                assertThat(told)
                        .as("run %d: %s (status %s) told of its close once %s", run, user, status, answers)
                        // Closed, or kept paid by its team's expiry (told paid_unformed).
                        .isEqualTo(status.equals(List.of(2)) || failed && status.equals(List.of(1)) ? 1 : 0);
            }
            checkTeam(run, teamId);
        }
    }

    /** A team of p+a, p+b (paid, one on each instance) and p+c, whose lock is past the unpaid timeout. */
    private String overdueLastMember(Mall mall, String p) throws Exception {
        String teamId = RaceTeams.twoOfThreePaid(mall.a, mall.a, mall.b, p);
        teams().overdue(p + "c");
        return teamId;
    }

    private RaceTeams teams() {
        return new RaceTeams(jdbc, counts);
    }

    private Mall mall(String notifyUrl) {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient onA = TradeClient.onNewGoods(port, jdbc, activityId, notifyUrl);
        TradeClient onB = new TradeClient(second.port(), activityId, "g" + activityId, notifyUrl);
        return new Mall(onA, onB, activityId, "g" + activityId);
    }

    private record Mall(TradeClient a, TradeClient b, long activityId, String goodsId) {}

    /** Partner s02/c02's call on an instance, naming what it names. */
    private static JsonNode other(int port, String operation, String body) throws Exception {
        return TestJson.postEnvelope(port, "/api/v1/gbm/trade/" + operation, body);
    }

    private static String settleBody(String user) {
        return "{\"source\":\"s02\",\"channel\":\"c02\",\"userId\":\"" + user + "\",\"outTradeNo\":\"out-" + user
                + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";
    }

    private static String refundBody(String user) {
        return "{\"userId\":\"" + user + "\",\"outTradeNo\":\"out-" + user
                + "\",\"source\":\"s02\",\"channel\":\"c02\"}";
    }

    private static String lockBody(Mall mall, String user, String teamId) {
        return "{\"userId\":\"" + user + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + mall.activityId
                + ",\"goodsId\":\"" + mall.goodsId + "\",\"source\":\"s02\",\"channel\":\"c02\",\"outTradeNo\":\"out-"
                + user + "\",\"notifyUrl\":\"" + RECEIVER + "\"}";
    }

    private void checkTeam(int run, String teamId) {
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }
}
