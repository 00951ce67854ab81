package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.OneConnectionCounts;
import com.groupbuy.market.support.TestJson;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The statements a team's settlements send, counted by the database itself (#19): the session counters of the pool's
 * one connection ({@code SHOW SESSION STATUS}, which counts none of the counted statements itself), so a statement
 * or a transaction added to the settle path shows here. Nothing else borrows the connection meanwhile: no periodic
 * switch reload, no start-up place reconciliation, no local jobs (test profile); the checks that are no part of the
 * count go through a client of their own.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.maximum-pool-size=1",
            "spring.datasource.hikari.minimum-idle=1",
            "gbm.switch.reload-interval=1h",
            "gbm.places.on-start=false"
        })
class SettlementStatementsIT {

    private static final List<String> COUNTERS = List.of(
            "Com_select",
            "Com_insert",
            "Com_update",
            "Com_update_multi",
            "Com_delete",
            "Com_set_option",
            "Com_begin",
            "Com_commit",
            "Com_rollback");

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Test
    void aPaymentLeavingPlacesIsOneReadAndOneUpdateAndTheCompletingOneATransactionWithItsCallback() throws Exception {
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            new MarketConfigFixture(jdbc).goods("stmt01", 7001, "ZJ", "20", "100.00");
            String teamId =
                    lock("stmt-a", "", partner).path("data").path("teamId").asText();
            lock("stmt-b", teamId, partner);
            lock("stmt-c", teamId, partner);

            Map<String, Long> start = counters();
            settle("stmt-a");
            Map<String, Long> first = counters();
            settle("stmt-b");
            Map<String, Long> second = counters();

            // The admission read (order + team), then the order paid and the team counted in one statement, as its
            // own transaction: no SET autocommit, no COMMIT.
            Map<String, Long> leavingPlaces = Map.of("Com_select", 1L, "Com_update_multi", 1L);
            assertThat(delta(start, first)).isEqualTo(leavingPlaces);
            assertThat(delta(first, second)).isEqualTo(leavingPlaces);

            settle("stmt-c");
            assertThat(partner.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            await(() -> delivered(teamId));
            Map<String, Long> third = counters();

            // The completing payment: the admission read, then one transaction (SET autocommit=0 ... COMMIT, SET
            // autocommit=1) of the payment's update, the paid members' trade numbers and the callback task; after
            // commit its delivery, under the lease it was written with (no claim), records the outcome in a
            // transaction of its own: the task finished (UPDATE) and the attempt (INSERT).
            assertThat(delta(second, third))
                    .isEqualTo(Map.of(
                            "Com_select", 2L,
                            "Com_update_multi", 1L,
                            "Com_insert", 2L,
                            "Com_update", 1L,
                            "Com_set_option", 4L,
                            "Com_commit", 2L));
            assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                    .containsEntry("status", 1)
                    .containsEntry("complete_count", 3);
        }
    }

    /** The counters that moved between two reads, by how much. */
    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> moved = new HashMap<>();
        for (String name : COUNTERS) {
            long d = after.get(name) - before.get(name);
            if (d != 0) {
                moved.put(name, d);
            }
        }
        return moved;
    }

    /** The pool's one connection's statement counters, read on it. */
    private Map<String, Long> counters() throws SQLException {
        return OneConnectionCounts.counters(dataSource, COUNTERS);
    }

    private boolean delivered(String teamId) {
        return OneConnectionCounts.delivered(database, teamId);
    }

    private JsonNode lock(String userId, String teamId, MockWebServer partner) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId
                        + "\",\"activityId\":7001,\"goodsId\":\"stmt01\","
                        + "\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId
                        + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + partner.url("/callback")
                        + "\"}}");
        assertThat(answer.path("code").asText()).isEqualTo("0000");
        return answer;
    }

    private void settle(String userId) throws Exception {
        String now = LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId
                        + "\",\"outTradeTime\":\"" + now + "\"}");
        assertThat(answer.path("code").asText()).isEqualTo("0000");
    }
}
