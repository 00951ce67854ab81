package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.ProxiedDatabase;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A settlement's COMMIT reaches MariaDB and commits, but its answer is lost (the proxy closes the connection instead of
 * passing the OK on). A payment that committed is answered {@code 0000}, never an error, its team's callback is
 * written once, and the mall's repeated notice answers the same. The window (200 ms) puts two concurrent settlements
 * in one batch; a lone one finds no partner and is written alone (its own transaction when it pays the last place).
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
@TestPropertySource(
        properties = {"gbm.settlement.group-commit.enabled=true", "gbm.settlement.group-commit.max-wait=200ms"})
class SettlementCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Test
    void aLonePaymentOfTheLastPlaceWhoseCommitAnswerIsLostIsAnsweredPaidWithOneCallback() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19201, "http://127.0.0.1:1/cb");
        String teamId = mall.team("a1", "b1", "c1");
        assertThat(mall.settle("a1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("b1").path("code").asText()).isEqualTo("0000");
        int lostBefore = PROXY.commitAnswersLost();
        PROXY.loseCommitAnswers("o.complete_count + 1 = o.target_count", 1);

        HttpResponse<String> first = settle("c1");
        assertThat(PROXY.commitAnswersLost())
                .as("the payment's commit answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(counts.completeCount(teamId)).as("paid places").isEqualTo(3);
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("callbacks of the team")
                .isEqualTo(1);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(code(first)).as(first.body()).isEqualTo("0000");

        assertThat(mall.settle("c1").path("code").asText())
                .as("the repeated notice")
                .isEqualTo("0000");
        assertThat(counts.tasks(teamId, "trade_settlement")).isEqualTo(1);
    }

    @Test
    void aLonePaymentLeavingPlacesWhoseAnswerIsLostIsAnsweredPaid() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19203, "http://127.0.0.1:1/cb");
        String teamId = mall.team("a4", "b4", "c4");
        int lostBefore = PROXY.commitAnswersLost();
        // Alone, a payment that leaves places unpaid is one statement, auto-committed: its own answer is its commit's.
        PROXY.loseStatementAnswers("o.complete_count + 1 < o.target_count", 1);

        HttpResponse<String> first = settle("a4");
        assertThat(PROXY.commitAnswersLost())
                .as("the payment's answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(counts.completeCount(teamId)).as("paid places").isEqualTo(1);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(code(first)).as(first.body()).isEqualTo("0000");
        assertThat(counts.lateNotices("a4"))
                .as("a paid notice recorded as refused")
                .isZero();

        assertThat(mall.settle("b4").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("c4").path("code").asText()).isEqualTo("0000");
        assertThat(counts.completeCount(teamId)).isEqualTo(3);
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("callbacks of the team")
                .isEqualTo(1);
    }

    @Test
    void aBatchWhoseCommitAnswerIsLostAnswersEveryPaymentPaidWithOneCallback() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19202, "http://127.0.0.1:1/cb");
        String teamId = mall.team("a2", "b2", "c2");
        assertThat(mall.settle("a2").path("code").asText()).isEqualTo("0000");
        int lostBefore = PROXY.commitAnswersLost();
        // The batch's first statement locks its orders (SettlementBatchWriter; with their states since settlepay); a
        // lone settlement never sends it.
        PROXY.loseCommitAnswers("SELECT order_id, status FROM group_buy_order_list FORCE INDEX (uq_order_id)", 1);

        CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> settleUnchecked("b2"));
        CompletableFuture<HttpResponse<String>> c = CompletableFuture.supplyAsync(() -> settleUnchecked("c2"));
        HttpResponse<String> bAnswer = b.join();
        HttpResponse<String> cAnswer = c.join();
        assertThat(PROXY.commitAnswersLost())
                .as("the batch's commit answer was lost")
                .isEqualTo(lostBefore + 1);

        assertThat(counts.completeCount(teamId)).as("paid places").isEqualTo(3);
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("callbacks of the team")
                .isEqualTo(1);
        assertThat(code(bAnswer)).as(bAnswer.body()).isEqualTo("0000");
        assertThat(code(cAnswer)).as(cAnswer.body()).isEqualTo("0000");
        assertThat(counts.lateNotices("b2") + counts.lateNotices("c2"))
                .as("no paid notice recorded as refused")
                .isZero();
    }

    private HttpResponse<String> settle(String userId) throws Exception {
        return TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(userId, TradeClient.now()));
    }

    private HttpResponse<String> settleUnchecked(String userId) {
        try {
            return settle(userId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(HttpResponse<String> answer) throws Exception {
        return TestJson.JSON.readTree(answer.body()).path("code").asText();
    }
}
