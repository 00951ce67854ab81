package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A partner of the MQ isolation tests, selling goods of a fresh activity of its own (teams of 3, one order a user):
 * it locks its users into one team and settles them, or refunds one, over the real HTTP API.
 */
final class MqPartner {

    /** The original's default MQ notify config: the shared exchange, or the partner's own when it is isolated. */
    static final String MQ_DEFAULT = "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}";

    private final int port;
    private final String source;
    private final String channel;
    private final long activityId;
    private final String goodsId;

    private MqPartner(int port, String source, String channel, long activityId, String goodsId) {
        this.port = port;
        this.source = source;
        this.channel = channel;
        this.activityId = activityId;
        this.goodsId = goodsId;
    }

    /** Writes the activity {@code activityId} and its goods, sold by this partner only. */
    static MqPartner onNewGoods(int port, JdbcTemplate jdbc, String source, String channel, long activityId) {
        String goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        jdbc.update("UPDATE sc_sku_activity SET source = ?, channel = ? WHERE goods_id = ?", source, channel, goodsId);
        return new MqPartner(port, source, channel, activityId, goodsId);
    }

    /** Users {@code prefix}1..3 with trade numbers {@code <user>-<run>}, paid into one team with the MQ default. */
    String paidTeam(String prefix, String run) throws Exception {
        List<String> users = List.of(prefix + "1", prefix + "2", prefix + "3");
        return paidTeam(users, users.stream().map(user -> user + "-" + run).toList(), MQ_DEFAULT);
    }

    /** Locks the users into one new team with their trade numbers, then settles each; returns the team id. */
    String paidTeam(List<String> users, List<String> outTradeNos, String notifyConfig) throws Exception {
        String teamId = "";
        for (int i = 0; i < users.size(); i++) {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"" + users.get(i) + "\",\"teamId\":\"" + teamId + "\",\"activityId\":"
                            + activityId + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"" + source
                            + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":" + json(outTradeNos.get(i))
                            + ",\"notifyConfigVO\":" + notifyConfig + "}");
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
            teamId = answer.path("data").path("teamId").asText();
        }
        for (int i = 0; i < users.size(); i++) {
            JsonNode answer = TestJson.postEnvelope(
                    port,
                    TradeClient.SETTLEMENT,
                    "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + users.get(i)
                            + "\",\"outTradeNo\":" + json(outTradeNos.get(i)) + ",\"outTradeTime\":\""
                            + TradeClient.now() + "\"}");
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        }
        return teamId;
    }

    JsonNode refund(String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"outTradeNo\":" + json(outTradeNo) + ",\"source\":\"" + source
                        + "\",\"channel\":\"" + channel + "\"}");
    }

    private static String json(String text) throws Exception {
        return TestJson.JSON.writeValueAsString(text);
    }
}
