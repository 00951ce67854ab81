package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.RaceRounds.answered;
import static com.groupbuy.market.trade.RaceRounds.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
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
 * callback per completed team, a late payment recorded only for a notice answered so, no HTTP 500. The rounds it
 * shares with {@link TwoInstanceRaceIT} are {@link RaceTeams}', both sides on this instance.
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
            answered(run, answers, 0, "0000");
            answered(run, answers, 1, "0000");
            answered(run, answers, 2, "E0106");
            answered(run, answers, 3, "0000");
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
            teams().aNoticeOutsideTheWindowRacingOneInsideIt(run, "w" + run + "-", mall, mall);
        }
    }

    @Test
    void aLockAndARefundOfOneUserKeepTheTakeLimitAndThePlaces() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().aLockAndARefundOfOneUser(run, "l" + run + "-", mall, mall);
        }
    }

    @Test
    void theLastPlaceTakenAsTheTeamEndsIsTakenOnceAndClosedWithIt() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().theLastPlaceTakenAsTheTeamEnds(run, "e" + run + "-", mall, mall, timeouts);
        }
    }

    @Test
    void aSettlementARefundAndTheTimeoutCloseOfOneOrderAgree() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            teams().aPaymentARefundAndTheTimeoutCloseOfOneOrder(run, "t" + run + "-", mall, mall, timeouts);
        }
    }

    @Test
    void theLastPaymentRacingAnotherMembersRefundListsOnlyThePaidInItsCallback() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "f" + run + "-";
            String teamId = RaceTeams.twoOfThreePaid(mall, mall, mall, p);
            List<JsonNode> answers = Race.run(2, i -> call(() -> i == 0 ? mall.settle(p + "c") : mall.refund(p + "a")));
            answered(run, answers, 0, "0000");
            answered(run, answers, 1, "0000");
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
            teams().everyPaidMemberOfAFormedTeamRefunded(run, "g" + run + "-", mall, mall);
        }
    }

    private RaceTeams teams() {
        return new RaceTeams(jdbc, counts);
    }

    private void checkTeam(int run, String teamId) {
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }
}
