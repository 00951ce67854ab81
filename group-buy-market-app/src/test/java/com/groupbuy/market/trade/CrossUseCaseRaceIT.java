package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.RaceRounds.call;
import static com.groupbuy.market.trade.RaceRounds.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Different use cases on one order or team at once, over HTTP on the running app, many rounds: two notices of one
 * payment naming different trade times, a lock and a refund of one user, the last place taken as its team's end
 * passes, a settlement, a refund and the timeout close of one order, the last payment against another member's
 * refund, every paid member of a formed team refunded at once. After each round: the team never above its
 * target, its counts equal its live and paid orders, Redis equals the database for an open team, one completion
 * callback per completed team, a late payment recorded only for a notice answered so, no HTTP 500.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=5m",
            "gbm.timeout.expiry-grace=0s",
            "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund"
        })
class CrossUseCaseRaceIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(31700);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final int RUNS = Integer.getInteger("race.runs", 8);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeouts;

    @Test
    void twoNoticesOfOnePaymentWithDifferentTimesPayItOnce() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "n" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            String inWindow = TradeClient.now();
            String millis = Long.toString(Instant.now().toEpochMilli());
            String before = "2020-01-01 00:00:00";
            String[] times = {inWindow, millis, before, inWindow};
            String[] users = {p + "a", p + "a", p + "b", p + "c"};
            List<JsonNode> answers = Race.run(4, i -> call(() -> mall.settle(users[i], times[i])));
            assertThat(code(answers.get(0))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(code(answers.get(1))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(code(answers.get(2))).as("run %d %s", run, answers).isEqualTo("E0106");
            assertThat(code(answers.get(3))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(counts.orderStatus(p + "b")).as("run %d", run).isZero();
            assertThat(counts.lateNotices(p + "a")).as("run %d", run).isZero();
            assertThat(counts.lateNotices(p + "b")).as("run %d", run).isEqualTo(1);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aNoticeOutsideTheWindowRacingOneInsideItIsRecordedOnlyWhenRefused() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "w" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            assertThat(code(mall.settle(p + "b"))).isEqualTo("0000");
            String[] times = {TradeClient.now(), "2020-01-01 00:00:00", TradeClient.now()};
            String[] users = {p + "a", p + "a", p + "c"};
            List<JsonNode> answers = Race.run(3, i -> call(() -> mall.settle(users[i], times[i])));
            assertThat(code(answers.get(0))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(code(answers.get(1))).as("run %d %s", run, answers).isIn("0000", "E0106");
            assertThat(code(answers.get(2))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(counts.lateNotices(p + "a"))
                    .as("run %d: recorded only when answered E0106 %s", run, answers)
                    .isEqualTo(code(answers.get(1)).equals("E0106") ? 1 : 0);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aLockAndARefundOfOneUserKeepTheTakeLimitAndThePlaces() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "l" + run + "-";
            String u = p + "u";
            String teamId = mall.team(p + "a", u);
            List<JsonNode> answers = Race.run(
                    4,
                    i -> call(() -> switch (i) {
                        case 0 -> mall.refund(u);
                        case 1 -> mall.lock(u, "", "out-" + u + "-2");
                        case 2 -> mall.lock(u, teamId, "out-" + u);
                        default -> mall.lock(p + "z", teamId);
                    }));
            assertThat(code(answers.get(0))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(answers.get(0).path("data").path("code").asText())
                    .as("run %d %s", run, answers)
                    .isEqualTo("success");
            assertThat(code(answers.get(1))).as("run %d %s", run, answers).isIn("0000", "E0103");
            assertThat(code(answers.get(2))).as("run %d %s", run, answers).isIn("0000", "E0202");
            assertThat(code(answers.get(3))).as("run %d %s", run, answers).isEqualTo("0000");
            int live = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND status IN (0, 1)",
                    Integer.class,
                    u);
            assertThat(live)
                    .as("run %d: the user's live takes %s", run, answers)
                    .isLessThanOrEqualTo(1);
            assertThat(live)
                    .as("run %d: the new lock's answer %s", run, answers)
                    .isEqualTo(code(answers.get(1)).equals("0000") ? 1 : 0);
            checkTeam(run, teamId);
            if (code(answers.get(1)).equals("0000")) {
                checkTeam(run, answers.get(1).path("data").path("teamId").asText());
            }
        }
    }

    @Test
    void theLastPlaceTakenAsTheTeamEndsIsTakenOnceAndClosedWithIt() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "e" + run + "-";
            String teamId = mall.team(p + "a", p + "b");
            long expireAfter = RaceRounds.endSoon(jdbc, run, teamId);
            String paidAt = TradeClient.now();
            List<JsonNode> answers = Race.run(5, i -> {
                if (i == 4) {
                    Thread.sleep(expireAfter);
                    return BooleanNode.valueOf(timeouts.expireTeamNow(teamId));
                }
                return call(() -> switch (i) {
                    case 0 -> mall.lock(p + "c", teamId);
                    case 1 -> mall.lock(p + "d", teamId);
                    case 2 -> mall.settle(p + "a", paidAt);
                    default -> mall.settle(p + "b", paidAt);
                });
            });
            RaceRounds.lastPlaceAsTheTeamEnds(jdbc, counts, run, teamId, answers, p + "c", p + "d");
        }
    }

    @Test
    void aSettlementARefundAndTheTimeoutCloseOfOneOrderAgree() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "t" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            assertThat(code(mall.settle(p + "a"))).isEqualTo("0000");
            assertThat(code(mall.settle(p + "b"))).isEqualTo("0000");
            jdbc.update(
                    "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE "
                            + "WHERE user_id = ?",
                    p + "c");
            List<JsonNode> answers = Race.run(3, i -> switch (i) {
                case 0 -> call(() -> mall.settle(p + "c"));
                case 1 -> call(() -> mall.refund(p + "c"));
                default ->
                    TestJson.JSON.valueToTree(timeouts.execTimeoutCloseJob().toString());
            });
            String settled = code(answers.get(0));
            assertThat(settled).as("run %d %s", run, answers).isIn("0000", "E0208");
            assertThat(code(answers.get(1))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(counts.orderStatus(p + "c"))
                    .as("run %d %s", run, answers)
                    .isEqualTo(2);
            assertThat(counts.lateNotices(p + "c"))
                    .as("run %d: late only when answered so %s", run, answers)
                    .isEqualTo(settled.equals("E0208") ? 1 : 0);
            assertThat(counts.tasks(teamId, "trade_settlement"))
                    .as("run %d: completed once paid %s", run, answers)
                    .isEqualTo(settled.equals("0000") ? 1 : 0);
            checkTeam(run, teamId);
        }
    }

    @Test
    void theLastPaymentRacingAnotherMembersRefundListsOnlyThePaidInItsCallback() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "f" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            assertThat(code(mall.settle(p + "a"))).isEqualTo("0000");
            assertThat(code(mall.settle(p + "b"))).isEqualTo("0000");
            List<JsonNode> answers = Race.run(2, i -> call(() -> i == 0 ? mall.settle(p + "c") : mall.refund(p + "a")));
            assertThat(code(answers.get(0))).as("run %d %s", run, answers).isEqualTo("0000");
            assertThat(code(answers.get(1))).as("run %d %s", run, answers).isEqualTo("0000");
            String refunded = answers.get(1).path("data").path("info").asText();
            boolean afterCompletion = refunded.startsWith("paid_formed");
            assertThat(refunded)
                    .as("run %d %s", run, answers)
                    .startsWith(afterCompletion ? "paid_formed" : "paid_unformed");
            Map<String, Object> team = counts.team(teamId);
            assertThat(team.get("status")).as("run %d %s", run, answers).isEqualTo(afterCompletion ? 3 : 0);
            checkTeam(run, teamId);
            if (afterCompletion) {
                String body = jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = ?",
                        String.class,
                        teamId,
                        "trade_settlement");
                assertThat(body).as("run %d", run).contains("out-" + p + "a", "out-" + p + "b", "out-" + p + "c");
            }
        }
    }

    @Test
    void everyPaidMemberOfAFormedTeamRefundedAtOnceFailsItOnce() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "g" + run + "-";
            String[] users = {p + "a", p + "b", p + "c"};
            String teamId = mall.team(users);
            for (String user : users) {
                assertThat(code(mall.settle(user))).isEqualTo("0000");
            }
            List<JsonNode> answers = Race.run(6, i -> call(() -> mall.refund(users[i % 3])));
            RaceRounds.formedTeamRefundedOnce(counts, run, teamId, answers);
        }
    }

    private void checkTeam(int run, String teamId) {
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }

    private int rowsOf(String teamId, String condition) {
        return RaceRounds.rows(jdbc, teamId, condition);
    }
}
