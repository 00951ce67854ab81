package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Plays a partner mall against the running service over real HTTP: one goods of one activity, source s01/c01, the
 * buyer's out trade number "out-" + user id, callbacks to {@code notifyUrl}.
 */
public final class TradeClient {

    public static final String SETTLEMENT = "/api/v1/gbm/trade/settlement_market_pay_order";
    public static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    private final int port;
    private final long activityId;
    private final String goodsId;
    private final String notifyUrl;

    public TradeClient(int port, long activityId, String goodsId, String notifyUrl) {
        this.port = port;
        this.activityId = activityId;
        this.goodsId = goodsId;
        this.notifyUrl = notifyUrl;
    }

    /** A mall selling goods "g" + activityId under a fresh activity (teams of 3, 20 off 100.00, one order a user). */
    public static TradeClient onNewGoods(int port, JdbcTemplate jdbc, long activityId, String notifyUrl) {
        String goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        return new TradeClient(port, activityId, goodsId, notifyUrl);
    }

    /** Locks a place for the user: a new team when {@code teamId} is empty. */
    public JsonNode lock(String userId, String teamId) throws Exception {
        return lock(userId, teamId, "out-" + userId);
    }

    public JsonNode lock(String userId, String teamId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(port, LOCK, lockBody(userId, teamId, outTradeNo));
    }

    /** {@link #lock(String, String)}'s answer as it came, whatever its HTTP status (an outage's 503, say). */
    public HttpResponse<String> lockAnswer(String userId, String teamId) throws Exception {
        return TestJson.post(port, LOCK, lockBody(userId, teamId, "out-" + userId));
    }

    /**
     * {@link #lockAnswer} sent again until it is answered with HTTP 200 (bounded by {@link TestJson#await}): the same
     * lock once an outage is over and the breaker lets calls through again.
     */
    public HttpResponse<String> lockAnswerOnceServed(String userId, String teamId) throws InterruptedException {
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        TestJson.await(() -> {
            try {
                answer.set(lockAnswer(userId, teamId));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return answer.get().statusCode() == 200;
        });
        return answer.get();
    }

    private String lockBody(String userId, String teamId, String outTradeNo) {
        return "{\"userId\":\"" + userId
                + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId + ",\"goodsId\":\"" + goodsId
                + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"" + outTradeNo
                + "\",\"notifyUrl\":\"" + notifyUrl + "\"}";
    }

    /**
     * Partner source:channel's lock of goods g1 of activity 1 naming {@code notifyUrl}, its trade number the user id:
     * for what the lock checks before its goods (the partner's rate, the notifyUrl's host).
     */
    public static JsonNode lockNaming(int port, String source, String channel, String userId, String notifyUrl)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":1,\"goodsId\":\"g1\",\"source\":\""
                        + source + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":\"" + userId
                        + "\",\"notifyUrl\":\"" + notifyUrl + "\"}");
    }

    /** Locks the users into one new team, the first opening it, each expected to succeed; returns the team id. */
    public String team(String... userIds) throws Exception {
        String teamId = "";
        for (String userId : userIds) {
            JsonNode answer = lock(userId, teamId);
            if (!"0000".equals(answer.path("code").asText())) {
                throw new AssertionError("lock of " + userId + " answered " + answer);
            }
            teamId = answer.path("data").path("teamId").asText();
        }
        return teamId;
    }

    /** Settles the user's order as paid now. */
    public JsonNode settle(String userId) throws Exception {
        return settle(userId, now());
    }

    /** Settles the user's order as paid at {@code outTradeTime} (a repeated notice repeats the same time). */
    public JsonNode settle(String userId, String outTradeTime) throws Exception {
        return TestJson.postEnvelope(port, SETTLEMENT, settlementBody(userId, outTradeTime));
    }

    /** The settlement notice of the user's order (partner s01/c01, out trade number {@code out-<user>}). */
    public static String settlementBody(String userId, String outTradeTime) {
        return "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"out-" + userId
                + "\",\"outTradeTime\":\"" + outTradeTime + "\"}";
    }

    public JsonNode refund(String userId) throws Exception {
        return refund(userId, "s01", "c01");
    }

    public JsonNode refund(String userId, String source, String channel) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + userId
                        + "\",\"outTradeNo\":\"out-" + userId + "\",\"source\":\"" + source + "\",\"channel\":\""
                        + channel
                        + "\"}");
    }

    /** The wire's trade time: "yyyy-MM-dd HH:mm:ss" in UTC+8. */
    public static String now() {
        return LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }
}
