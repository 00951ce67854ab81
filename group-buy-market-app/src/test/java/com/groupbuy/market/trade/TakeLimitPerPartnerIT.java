package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A partner's user ids are its own namespace: user "u1" of s01/c01 and "u1" of s02/c02 are two people. The activity's
 * take limit (1 here) therefore holds per partner's user — each of them gets its own take, neither more than the
 * limit, also when their locks race — and a refund frees the take of its own partner's user only. The per-user rate
 * limit is per partner's user too. Over real HTTP, MariaDB and Redis, with group commit of locks on (the default);
 * {@link TakeLimitPerPartnerWrittenAloneIT} runs the same with every lock written alone.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=take-it-admin")
class TakeLimitPerPartnerIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:9/cb";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(13000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private long activityId;
    private String goodsId;

    /** One activity (take limit 1, teams of 3) sold by both partners, s01/c01 and s02/c02. */
    @BeforeEach
    void twoPartnersSellOneActivity() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s02', 'c02', ?, ?)",
                goodsId,
                activityId);
    }

    @Test
    void theSameUserIdAtTwoPartnersGetsATakeEachAndTheLimitHoldsForEach() throws Exception {
        JsonNode a = lock("s01", "c01", "u1", "", "a-out-1");
        JsonNode b = lock("s02", "c02", "u1", "", "b-out-1");

        assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("0000");
        assertThat(b.path("code").asText())
                .as("s02's u1 is not s01's u1: its own take, not the other partner's (%s)", b)
                .isEqualTo("0000");
        // A join of the other partner's team: the team read and the take count of one statement (queryForJoin).
        JsonNode aAgain = lock("s01", "c01", "u1", "", "a-out-2");
        JsonNode bJoin = lock("s02", "c02", "u1", a.path("data").path("teamId").asText(), "b-out-2");

        assertThat(aAgain.path("code").asText())
                .as("s01's u1 holds its one take")
                .isEqualTo("E0103");
        assertThat(bJoin.path("code").asText())
                .as("s02's u1 holds its one take")
                .isEqualTo("E0103");
        assertThat(rows("s01", "u1")).isEqualTo(1);
        assertThat(rows("s02", "u1")).isEqualTo(1);
        List<String> bizIds = jdbc.queryForList(
                "SELECT biz_id FROM group_buy_order_list WHERE activity_id = ? ORDER BY id", String.class, activityId);
        assertThat(bizIds).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(bizIds.get(0)).contains("s01", "c01");
        assertThat(bizIds.get(1)).contains("s02", "c02");
    }

    @Test
    void theLimitHoldsForEachPartnersUserUnderConcurrency() throws Exception {
        // Ten locks of "greedy" at each partner, all at once (twenty in all, as LockIT's race: more only queue for
        // the connection pool on a loaded machine): exactly one take each.
        List<JsonNode> answers = race(
                20,
                i -> i % 2 == 0
                        ? lock("s01", "c01", "greedy", "", "ga-" + i)
                        : lock("s02", "c02", "greedy", "", "gb-" + i));

        List<String> codesA = new ArrayList<>();
        List<String> codesB = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            (i % 2 == 0 ? codesA : codesB).add(answers.get(i).path("code").asText());
        }
        assertThat(codesA.stream().filter("0000"::equals).count())
                .as(codesA.toString())
                .isEqualTo(1);
        assertThat(codesB.stream().filter("0000"::equals).count())
                .as(codesB.toString())
                .isEqualTo(1);
        assertThat(codesA).filteredOn(c -> !c.equals("0000")).allMatch("E0103"::equals);
        assertThat(codesB).filteredOn(c -> !c.equals("0000")).allMatch("E0103"::equals);
        assertThat(rows("s01", "greedy")).isEqualTo(1);
        assertThat(rows("s02", "greedy")).isEqualTo(1);
    }

    @Test
    void aRefundFreesTheTakeOfItsOwnPartnersUserOnly() throws Exception {
        assertThat(lock("s01", "c01", "r1", "", "ra-1").path("code").asText()).isEqualTo("0000");
        assertThat(lock("s02", "c02", "r1", "", "rb-1").path("code").asText()).isEqualTo("0000");

        JsonNode refunded = refund("s01", "c01", "r1", "ra-1");

        assertThat(refunded.path("code").asText()).as(refunded.toString()).isEqualTo("0000");
        assertThat(bizId("s01", "r1", "ra-1")).as("s01's take freed").isNull();
        assertThat(bizId("s02", "r1", "rb-1")).as("s02's take still held").isNotNull();
        assertThat(lock("s02", "c02", "r1", "", "rb-2").path("code").asText())
                .as("the other partner's refund freed nothing of s02's r1")
                .isEqualTo("E0103");
        assertThat(lock("s01", "c01", "r1", "", "ra-2").path("code").asText())
                .as("s01's r1 may take again")
                .isEqualTo("0000");
        assertThat(lock("s01", "c01", "r1", "", "ra-3").path("code").asText()).isEqualTo("E0103");
    }

    @Test
    void oneBusyPartnersUserDoesNotThrottleTheSameUserIdOfAnotherPartner() throws Exception {
        switchTo("rateLimitUser", "2");
        try {
            // s01's "busy" sends three at once, over its 2/s, so its bucket is empty for the rest of the second; right
            // after, s02's "busy" sends two, within a 2/s of its own. Had both shared one bucket (a key without the
            // partner), s02's would be refused now. Unknown goods: an admitted lock is refused by the use case (E0002)
            // and writes nothing, so the take limit plays no part here.
            List<String> codesA = race(3, i -> lock("s01", "c01", "busy", "", "g-unknown", "busy-a-" + i)).stream()
                    .map(a -> a.path("code").asText())
                    .toList();
            List<String> codesB = race(2, i -> lock("s02", "c02", "busy", "", "g-unknown", "busy-b-" + i)).stream()
                    .map(a -> a.path("code").asText())
                    .toList();

            assertThat(codesA).as("s01's busy is over its limit").contains("0006");
            assertThat(codesB)
                    .as("s02's busy is not throttled by s01's (%s)", codesA)
                    .containsOnly("E0002");
        } finally {
            switchTo("rateLimitUser", "0");
        }
    }

    private static List<JsonNode> race(int threads, Race.Call call) throws Exception {
        return Race.run(threads, call);
    }

    private JsonNode lock(String source, String channel, String userId, String teamId, String outTradeNo)
            throws Exception {
        return lock(source, channel, userId, teamId, goodsId, outTradeNo);
    }

    private JsonNode lock(
            String source, String channel, String userId, String teamId, String goodsId, String outTradeNo)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\"" + NOTIFY_URL + "\"}");
    }

    private JsonNode refund(String source, String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                REFUND,
                "{\"userId\":\"" + userId + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"source\":\"" + source
                        + "\",\"channel\":\"" + channel + "\"}");
    }

    private int rows(String source, String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ? AND source = ? AND user_id = ?",
                Integer.class,
                activityId,
                source,
                userId);
    }

    private String bizId(String source, String userId, String outTradeNo) {
        return jdbc.queryForObject(
                "SELECT biz_id FROM group_buy_order_list WHERE source = ? AND user_id = ? AND out_trade_no = ?",
                String.class,
                source,
                userId,
                outTradeNo);
    }

    /** A live switch changed through the admin API, in force on this instance when it returns. */
    private void switchTo(String name, String value) throws Exception {
        JsonNode answer = TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/admin/switches/" + name,
                        "{\"value\":\"" + value + "\",\"operator\":\"take-it\"}",
                        Map.of("X-Admin-Token", "take-it-admin"))
                .body());
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        TestJson.await(() -> {
            try {
                var request = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/gbm/admin/switches"))
                        .header("X-Admin-Token", "take-it-admin")
                        .build();
                String body = java.net.http.HttpClient.newHttpClient()
                        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                return value.equals(
                        TestJson.JSON.readTree(body).path("data").path(name).asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
