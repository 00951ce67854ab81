package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A refund's COMMIT reaches MariaDB and commits, but its answer is lost (the proxy closes the connection instead of
 * passing the OK on). A refund that committed is answered done ({@code 0000}, {@code success}), never an error; its
 * place is given back in Redis as in the database, its callback written once; the mall's retry answers {@code repeat}.
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
class RefundCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Test
    void aPaidRefundWhoseCommitAnswerIsLostIsAnsweredDoneAndGivesItsPlaceBack() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19301, "http://127.0.0.1:1/cb");
        String teamId = mall.team("a3", "b3");
        assertThat(mall.settle("a3").path("code").asText()).isEqualTo("0000");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers("biz_id = NULL", 1); // the refund's closeOrder (IGroupBuyRefundDao)

        HttpResponse<String> first = TestJson.post(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"a3\",\"outTradeNo\":\"out-a3\",\"source\":\"s01\",\"channel\":\"c01\"}");
        assertThat(PROXY.commitAnswersLost())
                .as("the refund's commit answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(counts.lockCount(teamId)).as("lock_count after the refund").isEqualTo(1);
        assertThat(counts.tasks(teamId, "trade_paid2refund"))
                .as("refund callbacks")
                .isEqualTo(1);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(TestJson.JSON
                        .readTree(first.body())
                        .path("data")
                        .path("code")
                        .asText())
                .as(first.body())
                .isEqualTo("success");
        assertThat(counts.redisPlaces(teamId))
                .as("Redis places after the refund")
                .isEqualTo(1);

        assertThat(mall.refund("a3").path("data").path("code").asText())
                .as("the mall's retry")
                .isEqualTo("repeat");
        assertThat(counts.tasks(teamId, "trade_paid2refund")).isEqualTo(1);
    }
}
