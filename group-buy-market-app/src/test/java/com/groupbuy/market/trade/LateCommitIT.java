package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.PrivateDatabase;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A COMMIT that lands after its writer gave up on it. The service's own MariaDB ({@link PrivateDatabase}) writes a
 * binary log and, while a test turns it on, waits at each commit for a semi-synchronous replica's acknowledgement
 * (AFTER_SYNC: the transaction is in the binary log but not yet visible) that no replica sends: after 5 s the server
 * gives up waiting and the commit lands. Nothing in that wait notices the client gone, so the writer's socket timeout
 * (2 s) cuts its connection with the COMMIT still inside the server. On main the read back ran at once, found nothing
 * and the write was answered 503 E0401 (its Redis place given back), and the rows landed 3 s later. Now the read back
 * waits until the cut session is killed and gone: the KILL ends the wait, the commit (already past the binary log)
 * lands, and the read back finds it: the partner is answered the committed result.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@ContextConfiguration(initializers = PrivateDatabase.class)
@TestPropertySource(
        properties = {
            PrivateDatabase.OPTIONS
                    + "=--log-bin,--binlog-format=ROW,--rpl-semi-sync-master-wait-point=AFTER_SYNC,"
                    + "--rpl-semi-sync-master-timeout=5000",
            "spring.datasource.hikari.data-source-properties.[socketTimeout]=2000",
            "spring.datasource.hikari.data-source-properties.[sessionVariables]=max_statement_time=1",
            "gbm.lock.group-commit.enabled=false",
            "gbm.settlement.group-commit.enabled=false"
        })
class LateCommitIT {

    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PrivateMariaDb database;

    @Autowired
    TeamCounts counts;

    @AfterEach
    void noLongerWaitForAReplica() {
        database.admin("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
    }

    /** From now on every commit waits for a replica's acknowledgement, at most 5 s (then it lands). */
    private void commitsWaitForAReplica() {
        database.admin("SET GLOBAL rpl_semi_sync_master_enabled = OFF", "SET GLOBAL rpl_semi_sync_master_enabled = ON");
    }

    @Test
    void aLockWhoseCommitLandsAfterItsConnectionWasCutIsAnsweredItsOrder() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19_301, RECEIVER);
        commitsWaitForAReplica();

        HttpResponse<String> first = mall.lockAnswer("late1", "");
        TestJson.await(() -> orders("late1") == 1); // lands at the latest when the server stops waiting
        System.out.println("lock whose commit landed late: " + first.statusCode() + " " + first.body());

        String orderId =
                jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = 'late1'", String.class);
        String teamId =
                jdbc.queryForObject("SELECT team_id FROM group_buy_order_list WHERE user_id = 'late1'", String.class);
        assertThat(first.statusCode())
                .as("the lock committed, answered %s", first.body())
                .isEqualTo(200);
        JsonNode answer = TestJson.JSON.readTree(first.body());
        assertThat(answer.path("code").asText()).isEqualTo("0000");
        assertThat(answer.path("data").path("orderId").asText()).isEqualTo(orderId);
        assertThat(counts.redisPlaces(teamId))
                .as("the committed lock's Redis place")
                .isEqualTo(1);

        database.admin("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        JsonNode retry = mall.lock("late1", "");
        assertThat(retry.path("data").path("orderId").asText())
                .as("the retry answered %s", retry)
                .isEqualTo(orderId);
        assertThat(orders("late1")).isEqualTo(1);
    }

    @Test
    void aPaymentWhoseCommitLandsAfterItsConnectionWasCutIsAnsweredPaid() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19_302, RECEIVER);
        String teamId = mall.team("p1", "p2", "p3");
        assertThat(mall.settle("p1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("p2").path("code").asText()).isEqualTo("0000");
        commitsWaitForAReplica();

        // The last place: one transaction (the team completes, its callback written with it).
        HttpResponse<String> first =
                TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody("p3", TradeClient.now()));
        TestJson.await(() -> counts.completeCount(teamId) == 3);
        System.out.println("payment whose commit landed late: " + first.statusCode() + " " + first.body());

        assertThat(first.statusCode())
                .as("the payment committed, answered %s", first.body())
                .isEqualTo(200);
        assertThat(TestJson.JSON.readTree(first.body()).path("code").asText()).isEqualTo("0000");
        assertThat(counts.tasks(teamId, "trade_settlement"))
                .as("callbacks of the team")
                .isEqualTo(1);
    }

    private int orders(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ?", Integer.class, userId);
    }
}
