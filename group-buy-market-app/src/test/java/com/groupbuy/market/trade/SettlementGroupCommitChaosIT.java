package com.groupbuy.market.trade;

import static com.groupbuy.market.trade.RaceRounds.answered;
import static com.groupbuy.market.trade.RaceRounds.call;
import static com.groupbuy.market.trade.RaceRounds.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Group commit of settlements attacked over real HTTP, MariaDB and Redis (#19): races a mall can cause — the same
 * notice twice at once, every member of a team at once, a settlement and a refund of the same order, settlements of a
 * team as it expires — with a 100 ms window so the racers share batches. After each run: no HTTP 500, each answer one
 * the race allows, the team's counts equal its live and paid orders, the Redis counter of an open team equals its
 * places, exactly one completion callback per completed team, a late payment recorded only for an order answered
 * E0208.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.settlement.group-commit.enabled=true",
            "gbm.settlement.group-commit.max-wait=100ms",
            "gbm.timeout.expiry-grace=60s",
            "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund"
        })
class SettlementGroupCommitChaosIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19900);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final DateTimeFormatter PARTNER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int RUNS = Integer.getInteger("chaos.runs", 30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeouts;

    @Autowired
    MeterRegistry meters;

    @Autowired(required = false)
    SettlementGroupCommit groupCommit;

    @Test
    void theSameNoticeTwiceAtOnceForEveryMemberPaysEachOnceAndCallsTheTeamOnce() throws Exception {
        assertThat(groupCommit).isNotNull();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "d" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            String paidAt = TradeClient.now();
            String[] users = {p + "a", p + "a", p + "b", p + "b", p + "c", p + "c"};
            List<JsonNode> answers = Race.run(users.length, i -> call(() -> mall.settle(users[i], paidAt)));
            for (int i = 0; i < users.length; i++) {
                assertThat(code(answers.get(i)))
                        .as("run %d %s %s", run, users[i], answers.get(i))
                        .isEqualTo("0000");
            }
            assertThat(counts.team(teamId))
                    .as("run %d", run)
                    .containsEntry("status", 1)
                    .containsEntry("complete_count", 3);
            assertThat(counts.tasks(teamId, "trade_settlement"))
                    .as("run %d", run)
                    .isEqualTo(1);
            checkTeam(run, teamId);
        }
    }

    @Test
    void aSettlementRacingARefundOfTheSameOrderGetsADefiniteAnswer() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "r" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            String paidAt = TradeClient.now();
            int r = run;
            List<JsonNode> answers = Race.run(
                    4,
                    i -> call(() -> switch (i) {
                        case 0 -> mall.settle(p + "a", paidAt);
                        case 1 -> mall.settle(p + "b", paidAt);
                        case 2 -> mall.settle(p + "c", paidAt);
                        default -> {
                            pause(r);
                            yield mall.refund(p + "c");
                        }
                    }));
            answered(run, answers, 0, "0000");
            answered(run, answers, 1, "0000");
            String settledC = answered(run, answers, 2, "0000", "E0208");
            answered(run, answers, 3, "0000");
            assertThat(counts.orderStatus(p + "c"))
                    .as("run %d: c refunded", run)
                    .isEqualTo(2);
            RaceRounds.lateOnlyWhenAnswered(counts, run, p + "c", settledC, "E0208", answers);
            checkTeam(run, teamId);
        }
    }

    @Test
    void settlementsOfEveryMemberAsTheTeamExpiresGetDefiniteAnswers() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < RUNS; run++) {
            String p = "x" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            new RaceTeams(jdbc, counts).ended(teamId);
            String paidInTime = LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                    .minusMinutes(5)
                    .format(PARTNER_TIME);
            String[] users = {p + "a", p + "b", p + "c"};
            int r = run;
            List<JsonNode> answers = Race.run(4, i -> {
                if (i < 3) {
                    return call(() -> mall.settle(users[i], paidInTime));
                }
                pause(r);
                return BooleanNode.valueOf(timeouts.expireTeamNow(teamId));
            });
            int paid = 0;
            for (int i = 0; i < 3; i++) {
                String code = code(answers.get(i));
                assertThat(code)
                        .as("run %d %s %s", run, users[i], answers.get(i))
                        .isIn("0000", "E0208");
                if (code.equals("0000")) {
                    paid++;
                    assertThat(counts.orderStatus(users[i]))
                            .as("run %d %s", run, users[i])
                            .isEqualTo(1);
                } else {
                    assertThat(counts.orderStatus(users[i]))
                            .as("run %d %s", run, users[i])
                            .isEqualTo(2);
                    assertThat(counts.lateNotices(users[i]))
                            .as("run %d %s", run, users[i])
                            .isEqualTo(1);
                }
            }
            if (paid == 3) {
                assertThat(counts.team(teamId)).as("run %d", run).containsEntry("status", 1);
                assertThat(answers.get(3).asBoolean())
                        .as("run %d: expiry of a completed team", run)
                        .isFalse();
            } else {
                // A member refused E0208 was refused because the expiry failed the team first: a deadlock with the
                // settlement batch is the expiry's to write again (DeadlockVictims), never a reason to leave the team.
                assertThat(answers.get(3).asBoolean())
                        .as("run %d: expiry of a team not fully paid", run)
                        .isTrue();
                assertThat(counts.team(teamId)).as("run %d", run).containsEntry("status", 2);
            }
            checkTeam(run, teamId);
        }
    }

    /**
     * Two partners' teams settled at once, each notice twice: the batches mix both partners; each team is completed
     * once, its one callback is its own partner's (source, channel, its URL) and lists only its own members.
     */
    @Test
    void twoPartnersTeamsSettledAtOnceEachGetTheirOwnOneCallback() throws Exception {
        long a = ACTIVITY.incrementAndGet();
        long b = ACTIVITY.incrementAndGet();
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods("g" + a, a, "ZJ", "20", "100.00");
        fixture.goods("g" + b, b, "ZJ", "10", "100.00");
        jdbc.update("UPDATE sc_sku_activity SET source = 's02', channel = 'c02' WHERE goods_id = ?", "g" + b);
        for (int run = 0; run < RUNS; run++) {
            String p = "pp" + run + "-";
            String teamA = partnerTeam("s01", "c01", a, p + "a");
            String teamB = partnerTeam("s02", "c02", b, p + "b");
            String paidAt = TradeClient.now();
            List<String[]> notices = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                for (int m = 1; m <= 3; m++) {
                    notices.add(new String[] {"s01", "c01", p + "a" + m});
                    notices.add(new String[] {"s02", "c02", p + "b" + m});
                }
            }
            List<JsonNode> answers = Race.run(
                    notices.size(),
                    i -> call(() -> TestJson.postEnvelope(
                            port,
                            "/api/v1/gbm/trade/settlement_market_pay_order",
                            "{\"source\":\"" + notices.get(i)[0] + "\",\"channel\":\"" + notices.get(i)[1]
                                    + "\",\"userId\":\"" + notices.get(i)[2] + "\",\"outTradeNo\":\"out-"
                                    + notices.get(i)[2] + "\",\"outTradeTime\":\"" + paidAt + "\"}")));
            for (int i = 0; i < notices.size(); i++) {
                assertThat(code(answers.get(i)))
                        .as("run %d %s %s", run, notices.get(i)[2], answers.get(i))
                        .isEqualTo("0000");
            }
            for (String[] team :
                    List.of(new String[] {teamA, "s01", "c01", p + "a"}, new String[] {teamB, "s02", "c02", p + "b"})) {
                assertThat(counts.team(team[0])).as("run %d", run).containsEntry("status", 1);
                checkTeam(run, team[0]);
                Map<String, Object> task = jdbc.queryForMap(
                        "SELECT source, channel, parameter_json FROM notify_task WHERE team_id = ? "
                                + "AND notify_category = 'trade_settlement'",
                        team[0]);
                assertThat(task).containsEntry("source", team[1]).containsEntry("channel", team[2]);
                String body = (String) task.get("parameter_json");
                assertThat(body).contains("out-" + team[3] + "1", "out-" + team[3] + "2", "out-" + team[3] + "3");
                assertThat(body).doesNotContain(team[3].equals(p + "a") ? "out-" + p + "b" : "out-" + p + "a");
            }
        }
    }

    /** A team of three of the partner's users (prefix + 1..3), locked one by one; its id. */
    private String partnerTeam(String source, String channel, long activityId, String prefix) throws Exception {
        String teamId = "";
        for (int m = 1; m <= 3; m++) {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"" + prefix + m + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                            + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"" + source + "\",\"channel\":\""
                            + channel + "\",\"outTradeNo\":\"out-" + prefix + m + "\",\"notifyUrl\":\"" + RECEIVER
                            + "\"}");
            assertThat(answer.path("code").asText())
                    .as(prefix + m + " " + answer)
                    .isEqualTo("0000");
            teamId = answer.path("data").path("teamId").asText();
        }
        return teamId;
    }

    private void checkTeam(int run, String teamId) {
        RaceRounds.checkTeam(jdbc, counts, run, teamId);
    }

    /**
     * Spreads the racer's start over the batch's window and its write (0 to 190 ms by run): with the window, the
     * batch writes about 100 ms after its first settlement arrived, so a racer started at once always came first.
     */
    private static void pause(int run) throws InterruptedException {
        Thread.sleep((run * 37L) % 200);
    }
}
