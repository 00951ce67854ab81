package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A write that waited for a row lock until the statement bound ({@code max_statement_time}, 10 s in production; 2 s
 * here) wrote nothing — MariaDB interrupted the statement (1969) and the transaction was rolled back — so the partner
 * is answered what that is: E0401, HTTP 503 with Retry-After, to send it again, not 500 {@code 0001} "unknown
 * failure". Before the bound moved from Connector/J's timer to MariaDB, such a wait ended in the driver's
 * MySQLTimeoutException, a QueryTimeoutException, already answered E0401; MariaDB's interruption is a
 * MySQLQueryInterruptedException that Spring leaves uncategorized. Another transaction holds the team's row while a
 * buyer joins it. Proved to fail on main: HTTP 500, 0001.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.lock.group-commit.enabled=false",
            "gbm.places.on-start=false",
            "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=2"
        })
class LockWaitBoundIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aJoinThatWaitedPastTheStatementBoundIsAnsweredE0401AndWroteNothing() throws Exception {
        long activityId = 16951;
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
        String teamId = mall.team("w1");

        HttpResponse<String> answer;
        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc)) {
            other.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", teamId);
            Future<HttpResponse<String>> joiner = pool.submit(() -> TestJson.post(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"w2\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                            + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                            + "\"outTradeNo\":\"out-w2\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}"));
            answer = joiner.get(30, TimeUnit.SECONDS);
            other.rollback();
        }
        JsonNode body = TestJson.JSON.readTree(answer.body());
        assertThat(body.path("code").asText()).as("answer %s", answer.body()).isEqualTo("E0401");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .as("nothing written")
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(1);

        // Sent again once the row is free, the join is written: the answer the partner was told to come back for.
        assertThat(mall.lock("w2", teamId).path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(2);
    }
}
