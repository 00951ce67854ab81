package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.ProxiedDatabase;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * A lock's COMMIT reaches MariaDB and commits, but its answer is lost (the proxy closes the connection instead
 * of passing the OK on): the writer cannot know from the error that the locks are written. A lock whose row committed
 * is answered {@code 0000} with that order, holds one row and one place (in the database and in Redis), and the mall's
 * retry with the same out trade number answers the same order. When what committed cannot be read back either (the
 * proxy cut at that moment), the lock answers 503 E0401 and the retry converges on the committed order. Run with group
 * commit on ({@link GroupCommitLockCommitLostIT}: the batch's commit) and off ({@link LoneLockCommitLostIT}).
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
abstract class LockCommitLost {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Test
    void aNewTeamWhoseCommitAnswerIsLostIsAnsweredItsOrderOnce() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19101, "http://127.0.0.1:1/cb");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers("INSERT INTO group_buy_order_list", 1);

        JsonNode first = mall.lock("n1", "");
        assertThat(PROXY.commitAnswersLost())
                .as("the batch's commit answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(orders("n1")).as("member rows of out-n1").isEqualTo(1);
        assertThat(teamsLedBy("n1")).as("teams opened by n1").isEqualTo(1);
        String teamId =
                jdbc.queryForObject("SELECT team_id FROM group_buy_order_list WHERE user_id = 'n1'", String.class);
        assertThat(first.path("code").asText()).as("answered %s", first).isEqualTo("0000");
        assertThat(first.path("data").path("teamId").asText()).isEqualTo(teamId);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places of the committed team")
                .isEqualTo(1);

        JsonNode retry = mall.lock("n1", "");
        assertThat(retry.path("code").asText()).as("retry answered %s", retry).isEqualTo("0000");
        assertThat(retry.path("data").path("orderId").asText())
                .isEqualTo(first.path("data").path("orderId").asText());
        assertThat(orders("n1")).isEqualTo(1);
    }

    @Test
    void aJoinWhoseCommitAnswerIsLostIsAnsweredItsOrderAndTakesOnePlace() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19102, "http://127.0.0.1:1/cb");
        String teamId = mall.team("lead");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers("INSERT INTO group_buy_order_list", 1);

        JsonNode first = mall.lock("j1", teamId);
        assertThat(PROXY.commitAnswersLost())
                .as("the batch's commit answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(orders("j1")).as("member rows of out-j1").isEqualTo(1);
        assertThat(counts.lockCount(teamId)).as("lock_count").isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).as("Redis places").isEqualTo(2);
        assertThat(first.path("code").asText()).as("answered %s", first).isEqualTo("0000");
        String orderId =
                jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = 'j1'", String.class);
        assertThat(first.path("data").path("orderId").asText()).isEqualTo(orderId);

        JsonNode retry = mall.lock("j1", teamId);
        assertThat(retry.path("code").asText()).as("retry answered %s", retry).isEqualTo("0000");
        assertThat(retry.path("data").path("orderId").asText()).isEqualTo(orderId);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(mall.lock("j2", teamId).path("code").asText())
                .as("the team's last place")
                .isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
    }

    @Test
    void aJoinWhoseCommitOutcomeCannotBeKnownAnswersE0401AndTheRetryConverges() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19103, "http://127.0.0.1:1/cb");
        String teamId = mall.team("lead3");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswerAndCut("INSERT INTO group_buy_order_list");

        HttpResponse<String> first;
        try {
            first = TestJson.post(port, LOCK, lockBody(19103, "u3", teamId));
        } finally {
            PROXY.open();
            // The cut failed the lock's commit, its read back and whatever else was reading: the database breaker may
            // be open, and it refuses this test's own reads too until its probe gets through.
            ProxiedDatabase.awaitReachable(jdbc);
        }
        assertThat(PROXY.commitAnswersLost()).as("the commit answer was lost").isEqualTo(lostBefore + 1);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        assertThat(TestJson.JSON.readTree(first.body()).path("code").asText()).isEqualTo("E0401");
        assertThat(orders("u3")).as("the lock committed").isEqualTo(1);

        // The mall retries (the database breaker may answer E0401 until its probe gets through).
        JsonNode retry = null;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> answer = TestJson.post(port, LOCK, lockBody(19103, "u3", teamId));
            retry = TestJson.JSON.readTree(answer.body());
            if (answer.statusCode() != 503) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(retry.path("code").asText())
                .as("the retry answered %s", retry)
                .isEqualTo("0000");
        assertThat(retry.path("data").path("orderId").asText())
                .isEqualTo(jdbc.queryForObject(
                        "SELECT order_id FROM group_buy_order_list WHERE user_id = 'u3'", String.class));
        assertThat(orders("u3")).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        // The lock that could not know it committed kept its place: given back, Redis counted one place fewer than
        // the team row holds until the reconciler's sweep came round (DatabaseRestartIT's kill found it too).
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places after an unknown commit and its retry (lock_count 2)")
                .isEqualTo(2);
    }

    private static String lockBody(long activityId, String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                + "\"outTradeNo\":\"out-" + userId + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
    }

    private int orders(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                Integer.class,
                userId,
                "out-" + userId);
    }

    private int teamsLedBy(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order WHERE leader_user_id = ?", Integer.class, userId);
    }
}
