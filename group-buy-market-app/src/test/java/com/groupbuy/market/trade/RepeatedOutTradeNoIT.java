package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock repeating an out trade number (same partner, user and number) is the same order only when it asks for the
 * same thing: another goods, another activity or another named team is a different request reusing the key, refused
 * {@code 0003} naming what differs, nothing written and no Redis place taken. On main it answered {@code 0000} with
 * the first order (the first goods' price and team). Group commit on (the default); {@link
 * RepeatedOutTradeNoWrittenAloneIT} runs it with every lock written alone.
 */
@IntegrationTest
class RepeatedOutTradeNoIT {

    private static final String PATH = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final String OTHER_RECEIVER = "http://127.0.0.1:2/api/v1/test/group_buy_notify";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    private static final AtomicInteger ACTIVITY = new AtomicInteger(7100);
    private long activityId;
    private long otherActivityId;
    private String goodsId;
    private String otherGoodsId;
    private String otherActivityGoodsId;

    /** Goods g1 (100.00) and g2 (300.00) in one activity, g3 in another, all sold through s01/c01. */
    @BeforeEach
    void activities() {
        activityId = ACTIVITY.incrementAndGet();
        otherActivityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        otherGoodsId = "h" + activityId;
        otherActivityGoodsId = "g" + otherActivityId;
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods(goodsId, activityId, "ZJ", "20", "100.00");
        fixture.goods(otherActivityGoodsId, otherActivityId, "ZJ", "20", "200.00");
        jdbc.update(
                "INSERT INTO sku (source, channel, goods_id, goods_name, original_price) VALUES ('s01', 'c01', ?, ?, ?)",
                otherGoodsId,
                "goods " + otherGoodsId,
                new BigDecimal("300.00"));
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s01', 'c01', ?, ?)",
                otherGoodsId,
                activityId);
    }

    @Test
    void aRepeatNamingOtherGoodsActivityOrTeamIsRefusedAndChangesNothing() throws Exception {
        JsonNode first = lock("alice-" + activityId, "", activityId, goodsId, "same-1");
        String teamId = first.path("data").path("teamId").asText();
        String orderId = first.path("data").path("orderId").asText();
        String otherTeam = lock("bob-" + activityId, "", activityId, goodsId, "bob-1")
                .path("data")
                .path("teamId")
                .asText();
        assertThat(first.path("code").asText()).isEqualTo("0000");

        JsonNode otherGoods = lock("alice-" + activityId, "", activityId, otherGoodsId, "same-1");
        JsonNode otherActivity = lock("alice-" + activityId, "", otherActivityId, otherActivityGoodsId, "same-1");
        JsonNode otherTeamNamed = lock("alice-" + activityId, otherTeam, activityId, goodsId, "same-1");

        assertThat(otherGoods.path("code").asText()).as(otherGoods.toString()).isEqualTo("0003");
        assertThat(otherGoods.path("info").asText()).contains("same-1").contains("goodsId");
        assertThat(otherGoods.path("data").isNull()).isTrue();
        assertThat(otherActivity.path("code").asText())
                .as(otherActivity.toString())
                .isEqualTo("0003");
        assertThat(otherActivity.path("info").asText()).contains("same-1").contains("activityId");
        assertThat(otherTeamNamed.path("code").asText())
                .as(otherTeamNamed.toString())
                .isEqualTo("0003");
        assertThat(otherTeamNamed.path("info").asText()).contains("same-1").contains("teamId");
        // Nothing written, no place taken: one order, the teams as they were, Redis = the database.
        assertThat(orderRows("alice-" + activityId)).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.lockCount(otherTeam)).isEqualTo(1);
        assertThat(counts.redisPlaces(otherTeam)).isEqualTo(1);
        assertThat(teams(otherActivityId)).isZero();

        // The same request again, as opened or naming its own team, is still the first order.
        JsonNode again = lock("alice-" + activityId, "", activityId, goodsId, "same-1");
        JsonNode againInItsTeam = lock("alice-" + activityId, teamId, activityId, goodsId, "same-1");
        assertThat(again.path("code").asText()).isEqualTo("0000");
        assertThat(again.path("data").path("orderId").asText()).isEqualTo(orderId);
        assertThat(againInItsTeam.path("code").asText()).isEqualTo("0000");
        assertThat(againInItsTeam.path("data").path("orderId").asText()).isEqualTo(orderId);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    @Test
    void aRepeatOfAPaidOrderNamingOtherGoodsIsRefusedAsAConflict() throws Exception {
        lock("payer-" + activityId, "", activityId, goodsId, "paid-1");
        jdbc.update("UPDATE group_buy_order_list SET status = 1 WHERE user_id = ?", "payer-" + activityId);

        JsonNode otherGoods = lock("payer-" + activityId, "", activityId, otherGoodsId, "paid-1");
        JsonNode same = lock("payer-" + activityId, "", activityId, goodsId, "paid-1");

        assertThat(otherGoods.path("code").asText()).as(otherGoods.toString()).isEqualTo("0003");
        assertThat(same.path("code").asText()).isEqualTo("E0201");
    }

    /**
     * Racing first attempts that disagree: whichever goods is written, every racer that asked for it is answered that
     * order and every racer that asked for the other goods is refused {@code 0003}, through whatever path it reached
     * the order (the lookup, the refusal's re-read, the out trade number's unique key), with one order, one team and one
     * place in the end.
     */
    @Test
    void racingAttemptsForDifferentGoodsGetTheOrderOnlyWhenTheyAskedForIt() throws Exception {
        String user = "racer-" + activityId;
        List<JsonNode> answers =
                Race.run(20, i -> lock(user, "", activityId, i % 2 == 0 ? goodsId : otherGoodsId, "race-1"));

        String stored = jdbc.queryForObject(
                "SELECT goods_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = 'race-1'",
                String.class,
                user);
        String orderId = jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = 'race-1'",
                String.class,
                user);
        for (int i = 0; i < answers.size(); i++) {
            String asked = i % 2 == 0 ? goodsId : otherGoodsId;
            JsonNode answer = answers.get(i);
            if (asked.equals(stored)) {
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
                assertThat(answer.path("data").path("orderId").asText()).isEqualTo(orderId);
            } else {
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0003");
            }
        }
        assertThat(orderRows(user)).isEqualTo(1);
        assertThat(teams(activityId)).isEqualTo(1);
        String teamId = jdbc.queryForObject(
                "SELECT team_id FROM group_buy_order_list WHERE order_id = ?", String.class, orderId);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    /**
     * The lock that opened a team gave the team its notify target (the team's completion goes there, and to no one
     * else): its repeat asking for another URL or another notify type is another request reusing the number, refused
     * {@code 0003} naming what differs, and the team keeps its target. On main it answered {@code 0000} with the
     * order, and the mall, told its lock was served, waited at the new URL (or queue) for a callback that went to the
     * first. A join's notify settings were never its own (the team's are its opener's), so a join's repeat is not
     * held to them.
     */
    @Test
    void aRepeatOfATeamsOpeningLockAskingForAnotherNotifyTargetIsRefused() throws Exception {
        String user = "opener-" + activityId;
        JsonNode first = lock(user, "", activityId, goodsId, "notify-1", http(RECEIVER));
        String teamId = first.path("data").path("teamId").asText();
        String orderId = first.path("data").path("orderId").asText();
        assertThat(first.path("code").asText()).as(first.toString()).isEqualTo("0000");

        JsonNode otherUrl = lock(user, "", activityId, goodsId, "notify-1", http(OTHER_RECEIVER));
        JsonNode otherUrlInItsTeam = lock(user, teamId, activityId, goodsId, "notify-1", http(OTHER_RECEIVER));
        JsonNode flatOtherUrl =
                lock(user, "", activityId, goodsId, "notify-1", "\"notifyUrl\":\"" + OTHER_RECEIVER + "\"");
        JsonNode mq = lock(
                user,
                "",
                activityId,
                goodsId,
                "notify-1",
                "\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}");

        for (JsonNode refused : List.of(otherUrl, otherUrlInItsTeam, flatOtherUrl)) {
            assertThat(refused.path("code").asText()).as(refused.toString()).isEqualTo("0003");
            assertThat(refused.path("info").asText()).contains("notify-1").contains("notifyUrl");
            assertThat(refused.path("data").isNull()).isTrue();
        }
        assertThat(mq.path("code").asText()).as(mq.toString()).isEqualTo("0003");
        assertThat(mq.path("info").asText()).contains("notifyType");
        // The team's target as its opener gave it; one order, one place.
        assertThat(jdbc.queryForObject(
                        "SELECT CONCAT(notify_type, ' ', notify_url) FROM group_buy_order WHERE team_id = ?",
                        String.class,
                        teamId))
                .isEqualTo("HTTP " + RECEIVER);
        assertThat(orderRows(user)).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);

        // The same request (either shape of the same URL) is still its order.
        JsonNode again = lock(user, "", activityId, goodsId, "notify-1", http(RECEIVER));
        JsonNode againFlat = lock(user, teamId, activityId, goodsId, "notify-1", "\"notifyUrl\":\"" + RECEIVER + "\"");
        assertThat(again.path("code").asText()).as(again.toString()).isEqualTo("0000");
        assertThat(again.path("data").path("orderId").asText()).isEqualTo(orderId);
        assertThat(againFlat.path("code").asText()).as(againFlat.toString()).isEqualTo("0000");
        assertThat(againFlat.path("data").path("orderId").asText()).isEqualTo(orderId);

        // A joiner's notify settings are not its own: its repeat naming another URL is still its order.
        JsonNode join = lock("joiner-" + activityId, teamId, activityId, goodsId, "join-1", http(OTHER_RECEIVER));
        JsonNode joinAgain = lock("joiner-" + activityId, teamId, activityId, goodsId, "join-1", http(RECEIVER));
        assertThat(join.path("code").asText()).as(join.toString()).isEqualTo("0000");
        assertThat(joinAgain.path("code").asText()).as(joinAgain.toString()).isEqualTo("0000");
        assertThat(joinAgain.path("data").path("orderId").asText())
                .isEqualTo(join.path("data").path("orderId").asText());
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
    }

    /**
     * Racing first attempts of one opening that disagree on the notify URL: whichever is written, every racer that
     * asked for its URL gets the order and every other racer {@code 0003}, through whichever path it reached the
     * order; one order, one team, one place.
     */
    @Test
    void racingOpeningsForDifferentNotifyUrlsGetTheOrderOnlyWhenTheyAskedForItsUrl() throws Exception {
        String user = "notify-racer-" + activityId;
        List<JsonNode> answers = Race.run(
                20,
                i -> lock(user, "", activityId, goodsId, "notify-race", http(i % 2 == 0 ? RECEIVER : OTHER_RECEIVER)));

        String teamId = jdbc.queryForObject(
                "SELECT team_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = 'notify-race'",
                String.class,
                user);
        String stored =
                jdbc.queryForObject("SELECT notify_url FROM group_buy_order WHERE team_id = ?", String.class, teamId);
        for (int i = 0; i < answers.size(); i++) {
            String asked = i % 2 == 0 ? RECEIVER : OTHER_RECEIVER;
            JsonNode answer = answers.get(i);
            assertThat(answer.path("code").asText())
                    .as("asked %s, stored %s: %s", asked, stored, answer)
                    .isEqualTo(asked.equals(stored) ? "0000" : "0003");
        }
        assertThat(orderRows(user)).isEqualTo(1);
        assertThat(teams(activityId)).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    private static String http(String url) {
        return "\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + url + "\"}";
    }

    private JsonNode lock(String userId, String teamId, long activity, String goods, String outTradeNo, String notify)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                PATH,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activity
                        + ",\"goodsId\":\"" + goods + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\""
                        + outTradeNo + "\"," + notify + "}");
    }

    private JsonNode lock(String userId, String teamId, long activity, String goods, String outTradeNo)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                PATH,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activity
                        + ",\"goodsId\":\"" + goods + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\""
                        + outTradeNo
                        + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + RECEIVER + "\"}}");
    }

    private int orderRows(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ?", Integer.class, userId);
    }

    private int teams(long activity) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = ?", Integer.class, activity);
    }
}
