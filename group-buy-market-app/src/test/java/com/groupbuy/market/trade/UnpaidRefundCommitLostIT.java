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
 * The refund of an unpaid lock (the mall's buyer cancels before paying) whose COMMIT reaches MariaDB and commits but
 * whose answer is lost: {@link RefundCommitLostIT} covers a paid refund only. Answered done when it can be read back;
 * when it cannot (the proxy cut with it), answered E0401 and the mall's retry converges: one callback, the order
 * closed once, and the team's Redis places equal to its lock count once the retry is answered.
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
class UnpaidRefundCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Test
    void anUnpaidRefundWhoseCommitAnswerIsLostIsAnsweredDoneAndGivesItsPlaceBack() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19331, "http://127.0.0.1:1/cb");
        String teamId = mall.team("ua1", "ub1");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers("biz_id = NULL", 1); // the refund's closeOrder

        HttpResponse<String> first = TestJson.post(port, REFUND, refundBody("ub1"));
        assertThat(PROXY.commitAnswersLost()).isEqualTo(lostBefore + 1);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(TestJson.JSON
                        .readTree(first.body())
                        .path("data")
                        .path("code")
                        .asText())
                .as(first.body())
                .isEqualTo("success");
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places after the refund")
                .isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund")).isEqualTo(1);
        assertThat(mall.refund("ub1").path("data").path("code").asText()).isEqualTo("repeat");
    }

    @Test
    void anUnpaidRefundWhoseOutcomeCannotBeReadBackConvergesOnItsRetry() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19332, "http://127.0.0.1:1/cb");
        String teamId = mall.team("ua2", "ub2");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswerAndCut("biz_id = NULL");
        HttpResponse<String> first;
        try {
            first = TestJson.post(port, REFUND, refundBody("ub2"));
        } finally {
            PROXY.open();
            ProxiedDatabase.awaitReachable(jdbc);
        }
        assertThat(PROXY.commitAnswersLost()).isEqualTo(lostBefore + 1);
        assertThat(counts.lockCount(teamId)).as("the refund committed").isEqualTo(1);

        JsonNode retry = null;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> answer = TestJson.post(port, REFUND, refundBody("ub2"));
            retry = TestJson.JSON.readTree(answer.body());
            if (answer.statusCode() != 503) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(retry.path("code").asText())
                .as("first %s, retry %s", first.body(), retry)
                .isEqualTo("0000");
        assertThat(counts.tasks(teamId, "trade_unpaid2refund")).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places once the retry is answered (first %s, retry %s)", first.body(), retry)
                .isEqualTo(1);
        // The team (3 places) has two left in the database: both joiners get one.
        assertThat(mall.lock("uc2", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(mall.lock("ud2", teamId).path("code").asText())
                .as("the team's last place, which the database has")
                .isEqualTo("0000");
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    private static String refundBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId
                + "\",\"source\":\"s01\",\"channel\":\"c01\"}";
    }
}
