package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.OneConnectionCounts;
import com.groupbuy.market.support.TestJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The completing settlements' callbacks are sent at once and their outcomes recorded together (#19,
 * NotifyAttemptRecorder): N teams completed one after the other, each callback answered by a real HTTP partner, end
 * with every task SUCCESS after one attempt and one attempt row each, and the outcomes written in fewer than N
 * transactions. Counted by the database itself on the pool's only connection (SHOW SESSION STATUS, as in
 * SettlementStatementsIT): every completing settlement commits once, so the commits beyond N are the records'.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.maximum-pool-size=1",
            "spring.datasource.hikari.minimum-idle=1",
            "gbm.switch.reload-interval=1h",
            "gbm.places.on-start=false",
            // Long enough that callbacks sent one after the other meet in a page, within the bound (lease / 100).
            "gbm.notify.record-window=500ms"
        })
class CallbackRecordTogetherIT {

    private static final int TEAMS = 6;
    private static final List<String> COUNTERS = List.of("Com_commit", "Com_insert", "Com_update");

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Value("${gbm.test.database}")
    String database;

    @Test
    void completingSettlementsCallbacksAreAllRecordedSuccessInFewerTransactionsThanCallbacks() throws Exception {
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            new MarketConfigFixture(jdbc).goods("rec01", 7101, "ZJ", "20", "100.00");
            List<String> teams = new ArrayList<>();
            for (int t = 0; t < TEAMS; t++) {
                String p = "rec" + t + "-";
                String teamId =
                        lock(p + "a", "", partner).path("data").path("teamId").asText();
                lock(p + "b", teamId, partner);
                lock(p + "c", teamId, partner);
                settle(p + "a");
                settle(p + "b");
                teams.add(teamId);
            }
            for (int t = 0; t < TEAMS; t++) {
                partner.enqueue(
                        new MockResponse.Builder().code(200).body("success").build());
            }
            // The locks' close checks are the relay's (written leased, published and recorded on the same pool): all
            // recorded before the count starts, so no write but the settlements' and their callbacks' is counted.
            await(() ->
                    jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE claim_token IS NOT NULL", Integer.class)
                            == 0);
            double writesBefore = count("gbm.notify.record.writes", null);
            double togetherBefore = count("gbm.notify.record.outcomes", "together");
            Map<String, Long> start = counters();

            for (int t = 0; t < TEAMS; t++) {
                settle("rec" + t + "-c");
            }
            await(() -> teams.stream().allMatch(this::delivered));
            // The last write's counters move just after its commit: wait for the metric, then read the database's.
            await(() -> count("gbm.notify.record.outcomes", "together") - togetherBefore >= TEAMS);
            Map<String, Long> end = counters();

            assertThat(partner.getRequestCount()).isEqualTo(TEAMS);
            for (String teamId : teams) {
                assertThat(jdbc.queryForMap(
                                "SELECT notify_status, notify_count, claim_token FROM notify_task WHERE team_id = ?",
                                teamId))
                        .containsEntry("notify_status", 1)
                        .containsEntry("notify_count", 1)
                        .containsEntry("claim_token", null);
                assertThat(jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                        + "WHERE t.team_id = ? AND a.attempt_no = 1 AND a.success = 1 "
                                        + "AND a.http_status = 200",
                                Integer.class,
                                teamId))
                        .isEqualTo(1);
            }
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                    + "WHERE t.team_id IN ("
                                    + String.join(
                                            ",",
                                            teams.stream()
                                                    .map(id -> "'" + id + "'")
                                                    .toList())
                                    + ")",
                            Integer.class))
                    .isEqualTo(TEAMS);

            long writes = Math.round(count("gbm.notify.record.writes", null) - writesBefore);
            assertThat(Math.round(count("gbm.notify.record.outcomes", "together") - togetherBefore))
                    .as("every outcome went through the recorder")
                    .isEqualTo(TEAMS);
            // Each completing settlement: one transaction (its payment, the paid members' read, the task). Every
            // record: one more, with one multi-row INSERT of its attempts.
            long commits = end.get("Com_commit") - start.get("Com_commit");
            assertThat(commits - TEAMS)
                    .as("transactions that recorded the %d callbacks' outcomes", TEAMS)
                    .isEqualTo(writes)
                    .isLessThan(TEAMS)
                    .isPositive();
            assertThat(end.get("Com_insert") - start.get("Com_insert"))
                    .as("the tasks' inserts and one attempt insert per record")
                    .isEqualTo(TEAMS + writes);
        }
    }

    private double count(String name, String way) {
        Counter counter = way == null
                ? meters.find(name).counter()
                : meters.find(name).tag("way", way).counter();
        return counter == null ? 0 : counter.count();
    }

    private boolean delivered(String teamId) {
        return OneConnectionCounts.delivered(database, teamId);
    }

    /** The pool's one connection's statement counters, read on it. */
    private Map<String, Long> counters() throws SQLException {
        return OneConnectionCounts.counters(dataSource, COUNTERS);
    }

    private JsonNode lock(String userId, String teamId, MockWebServer partner) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId
                        + "\",\"activityId\":7101,\"goodsId\":\"rec01\","
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
