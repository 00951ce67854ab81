package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.RefundCommand;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.service.lock.TradeLockService;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.settlement.TradeSettlementService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One partner can never reach another's orders (issue 12), over real HTTP, MariaDB and Redis: lock goes only through
 * the activity sc_sku_activity maps the caller's source + channel + goods to; settlement and refund find only the
 * caller's own orders; the same user + out trade number from two partners are two orders; identifiers compare
 * exactly (case and trailing spaces count).
 */
@SharedContextIntegrationTest
class PartnerIsolationIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:9/cb";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(12000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeLockService lockService;

    @Autowired
    TradeSettlementService settlementService;

    @Autowired
    TradeRefundService refundService;

    @Value("${gbm.redis.key-prefix}")
    String redisPrefix;

    /** Partner s01/c01 sells goods {@code goodsA} through activity {@code activityA}; s02/c02 sells goodsB via B. */
    private long activityA;

    private String goodsA;
    private long activityB;
    private String goodsB;

    @BeforeEach
    void twoPartners() {
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        activityA = ACTIVITY.incrementAndGet();
        goodsA = "g" + activityA;
        fixture.goods(goodsA, activityA, "ZJ", "20", "100.00");
        activityB = ACTIVITY.incrementAndGet();
        goodsB = "g" + activityB;
        fixture.goods(goodsB, activityB, "ZJ", "10", "100.00");
        jdbc.update("UPDATE sc_sku_activity SET source = 's02', channel = 'c02' WHERE goods_id = ?", goodsB);
    }

    // --- item 1 and 7: lock checks the partner's mapping and says what is unknown

    @Test
    void lockThroughASourceThatDoesNotSellTheGoodsIsE0002NamingTheMappingAndTakesNothing() throws Exception {
        long keysBefore = redisKeys();

        JsonNode foreign = lock("s99", "c99", "h1", "", activityA, goodsA, "out-h1");
        JsonNode otherChannel = lock("s01", "c99", "h1", "", activityA, goodsA, "out-h1");

        assertThat(foreign.path("code").asText()).isEqualTo("E0002");
        assertThat(foreign.path("info").asText())
                .isEqualTo("no group-buy configuration: goods " + goodsA
                        + " has no group-buy activity through source s99 channel c99");
        assertThat(otherChannel.path("code").asText()).isEqualTo("E0002");
        assertThat(otherChannel.path("info").asText()).contains("source s01 channel c99");
        assertNothingWritten();
        assertThat(redisKeys()).isEqualTo(keysBefore);
    }

    @Test
    void lockNamingAnotherPartnersActivityIsAnsweredExactlyAsAnUnknownActivityAndTakesNothing() throws Exception {
        long keysBefore = redisKeys();

        JsonNode notMapped = lock("s01", "c01", "h2", "", activityB, goodsA, "out-h2");
        JsonNode unknownActivity = lock("s01", "c01", "h2", "", 99_999_999L, goodsA, "out-h2");
        JsonNode unknownGoods = lock("s01", "c01", "h2", "", activityA, "no-such-goods", "out-h2");

        assertThat(notMapped.path("code").asText()).isEqualTo("E0002");
        assertThat(notMapped.path("info").asText())
                .isEqualTo("no group-buy configuration: activity " + activityB
                        + " is not the group-buy activity of goods " + goodsA + " through source s01 channel c01");
        // No existence oracle: activityB is s02/c02's; s01/c01 must not learn it exists from a different info.
        assertThat(unknownActivity.path("code").asText()).isEqualTo("E0002");
        assertThat(unknownActivity.path("info").asText())
                .isEqualTo("no group-buy configuration: activity 99999999 is not the group-buy activity of goods "
                        + goodsA + " through source s01 channel c01");
        assertThat(unknownActivity.path("data").isNull()).isTrue();
        assertThat(notMapped.path("data").isNull()).isTrue();
        assertThat(unknownGoods.path("code").asText()).isEqualTo("E0002");
        assertThat(unknownGoods.path("info").asText())
                .isEqualTo("no group-buy configuration: goods no-such-goods has no group-buy activity through source "
                        + "s01 channel c01");
        assertNothingWritten();
        assertThat(redisKeys()).isEqualTo(keysBefore);
        assertThat(lock("s01", "c01", "h2", "", activityA, goodsA, "out-h2")
                        .path("code")
                        .asText())
                .as("the mapped activity still locks")
                .isEqualTo("0000");
    }

    @Test
    void anotherPartnersGoodsIsAnsweredExactlyAsAGoodsNobodySells() throws Exception {
        // goodsB is s02/c02's: s01/c01's trial and lock must not learn from the info that it exists.
        String unknown = "g" + ACTIVITY.incrementAndGet();
        for (String goods : List.of(goodsB, unknown)) {
            JsonNode trial = TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/index/query_group_buy_market_config",
                    "{\"userId\":\"h3\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"" + goods + "\"}");
            JsonNode lock = lock("s01", "c01", "h3", "", activityB, goods, "out-h3");
            String expected = "no group-buy configuration: goods " + goods
                    + " has no group-buy activity through source s01 channel c01";
            for (JsonNode answer : List.of(trial, lock)) {
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("E0002");
                assertThat(answer.path("info").asText()).as(answer.toString()).isEqualTo(expected);
                assertThat(answer.path("data").isNull()).isTrue();
            }
        }
        assertNothingWritten();
    }

    // --- item 2: settlement and refund act only on the caller's own orders

    @Test
    void anotherPartnersSettlementAndRefundAnswerAsForAnUnknownOrderAndChangeNothing() throws Exception {
        String teamId = lockOk("s01", "c01", "v1", activityA, goodsA, "out-v1")
                .path("teamId")
                .asText();

        JsonNode settledByOther = settle("s02", "c02", "v1", "out-v1");
        JsonNode settledByUnknownSource = settle("zzz", "c01", "v1", "out-v1");
        JsonNode refundedByOther = refund("s02", "c02", "v1", "out-v1");
        JsonNode unknown = settle("s01", "c01", "v1", "out-nobody");

        for (JsonNode answer : List.of(settledByOther, settledByUnknownSource, refundedByOther)) {
            assertThat(answer.path("code").asText()).isEqualTo("E0104");
            assertThat(answer.path("info").asText())
                    .isEqualTo(unknown.path("info").asText());
            assertThat(answer.path("data").isNull()).isTrue();
        }
        assertThat(order("s01", "v1", "out-v1")).containsEntry("status", 0).containsEntry("out_trade_time", null);
        assertThat(counts.team(teamId))
                .containsEntry("status", 0)
                .containsEntry("lock_count", 1)
                .containsEntry("complete_count", 0);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM late_payment", Integer.class))
                .isZero();
    }

    @Test
    void theSameUserAndOutTradeNumberFromAnotherPartnerIsAnOrderOfItsOwn() throws Exception {
        JsonNode first = lockOk("s01", "c01", "w1", activityA, goodsA, "same-out");

        JsonNode second = lockOk("s02", "c02", "w1", activityB, goodsB, "same-out");

        assertThat(second.path("orderId").asText())
                .isNotEqualTo(first.path("orderId").asText());
        assertThat(second.path("teamId").asText())
                .isNotEqualTo(first.path("teamId").asText());
        assertThat(second.path("payPrice").decimalValue()).isEqualByComparingTo("90.00");

        JsonNode paidBySecond = settle("s02", "c02", "w1", "same-out");
        assertThat(paidBySecond.path("code").asText()).isEqualTo("0000");
        assertThat(paidBySecond.path("data").path("teamId").asText())
                .isEqualTo(second.path("teamId").asText());
        assertThat(order("s02", "w1", "same-out")).containsEntry("status", 1);
        assertThat(order("s01", "w1", "same-out"))
                .as("the first partner's order is untouched")
                .containsEntry("status", 0);

        JsonNode refundedByFirst = refund("s01", "c01", "w1", "same-out");
        assertThat(refundedByFirst.path("data").path("orderId").asText())
                .isEqualTo(first.path("orderId").asText());
        assertThat(refundedByFirst.path("data").path("code").asText()).isEqualTo("success");
        assertThat(order("s01", "w1", "same-out")).containsEntry("status", 2);
        assertThat(order("s02", "w1", "same-out"))
                .as("the second partner's order is untouched")
                .containsEntry("status", 1);

        assertThat(lock("s02", "c02", "w1", "", activityB, goodsB, "same-out")
                        .path("code")
                        .asText())
                .as("each partner's repeated lock answers from its own order")
                .isEqualTo("E0201");
        assertThat(lock("s01", "c01", "w1", "", activityA, goodsA, "same-out")
                        .path("code")
                        .asText())
                .isEqualTo("E0202");
    }

    /**
     * Both partners sell goods A through activity A, yet a team belongs to the partner that opened it: the other
     * partner's buyer cannot join it (answered as a team that does not exist, nothing taken) and opens a team of its
     * own; the same user + out trade number from the two partners are two orders, each holding a place in its own team.
     */
    @Test
    void twoPartnersSameUserAndOutTradeNumberOnOneActivityEachHoldAPlaceInTheirOwnTeam() throws Exception {
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s02', 'c02', ?, ?)",
                goodsA,
                activityA);
        // Take limit 1: the take limit is per partner's user (a user id is its partner's), so each "v1" takes one.
        JsonNode first = lockOk("s01", "c01", "v1", activityA, goodsA, "shared-out");
        String teamId = first.path("teamId").asText();

        JsonNode joinOther = lock("s02", "c02", "v1", teamId, activityA, goodsA, "shared-out");
        JsonNode second = lock("s02", "c02", "v1", "", activityA, goodsA, "shared-out");

        assertThat(joinOther.path("code").asText())
                .as("another partner's team is not joinable: " + joinOther)
                .isEqualTo("E0205");
        assertThat(second.path("code").asText()).as(second.toString()).isEqualTo("0000");
        assertThat(second.path("data").path("orderId").asText())
                .isNotEqualTo(first.path("orderId").asText());
        String otherTeam = second.path("data").path("teamId").asText();
        assertThat(otherTeam).isNotEqualTo(teamId);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(counts.lockCount(otherTeam)).isEqualTo(1);
        assertThat(counts.redisPlaces(otherTeam)).isEqualTo(1);
    }

    // --- item 4: identifiers compare exactly

    @Test
    void userAndOutTradeNumbersDifferingOnlyInCaseAreOtherOrders() throws Exception {
        lockOk("s01", "c01", "xs1", activityA, goodsA, "xs1");
        assertThat(settle("s01", "c01", "xs1", "xs1").path("code").asText()).isEqualTo("0000");

        JsonNode upperUser = refund("s01", "c01", "XS1", "xs1");
        JsonNode upperOut = refund("s01", "c01", "xs1", "XS1");
        JsonNode upperBoth = settle("s01", "c01", "XS1", "XS1");
        JsonNode upperSource = refund("S01", "c01", "xs1", "xs1");

        for (JsonNode answer : List.of(upperUser, upperOut, upperBoth, upperSource)) {
            assertThat(answer.path("code").asText()).isEqualTo("E0104");
        }
        assertThat(order("s01", "xs1", "xs1")).containsEntry("status", 1);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class, activityA))
                .isZero();
    }

    @Test
    void aTakeHeldByAbDoesNotCountForAB() throws Exception {
        JsonNode ab = lockOk("s01", "c01", "Ab", activityA, goodsA, "out-ab");

        JsonNode upper = lock("s01", "c01", "AB", "", activityA, goodsA, "out-ab");

        assertThat(upper.path("code").asText())
                .as("take limit 1 is per user, and AB is not Ab")
                .isEqualTo("0000");
        assertThat(upper.path("data").path("orderId").asText())
                .isNotEqualTo(ab.path("orderId").asText());
        assertThat(jdbc.queryForList(
                        "SELECT biz_id FROM group_buy_order_list WHERE activity_id = ? ORDER BY id",
                        String.class,
                        activityA))
                .containsExactly(
                        LockAggregates.bizId(activityA, "s01", "c01", "Ab", 1),
                        LockAggregates.bizId(activityA, "s01", "c01", "AB", 1));
    }

    @Test
    void aTeamIdDifferingOnlyInCaseIsAnotherTeam() throws Exception {
        new MarketConfigFixture(jdbc)
                .team("abcdefgh", activityA, "leader", 1, 0, 0, Instant.now().plusSeconds(600));

        JsonNode upper = lock("s01", "c01", "j1", "ABCDEFGH", activityA, goodsA, "out-j1");

        assertThat(upper.path("code").asText()).isEqualTo("E0205");
        assertThat(counts.lockCount("abcdefgh")).isEqualTo(1);
    }

    /**
     * Trailing spaces tried on the use cases directly (over HTTP: StrictInputIT#anIdIsTakenExactlyAsSent…): a key
     * that differs only by a trailing space is another key in every table (the old collation padded: 'u' = 'u ').
     */
    @Test
    void trailingSpacesAreSignificantInEveryKey() throws Exception {
        String teamId = lockOk("s01", "c01", "ts1", activityA, goodsA, "out-ts1")
                .path("teamId")
                .asText();
        String orderId = order("s01", "ts1", "out-ts1").get("order_id").toString();

        MarketPayOrderEntity spaced = lockService.lock(lockCommand("s01", "c01", "ts1 ", null, "out-ts1"));

        assertThat(spaced.getOrderId()).as("user 'ts1 ' is not user 'ts1'").isNotEqualTo(orderId);
        assertE0104(() -> settlementService.settle(settleCommand("s01", "c01", "ts1", "out-ts1 ")));
        assertE0104(() -> settlementService.settle(settleCommand("s01 ", "c01", "ts1", "out-ts1")));
        assertE0104(() -> refundService.refund(new RefundCommand("ts1", "out-ts1", "s01", "c01 ")));
        assertThatThrownBy(() -> lockService.lock(lockCommand("s01", "c01", "ts2", teamId + " ", "out-ts2")))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0205"));
        assertThatThrownBy(() -> lockService.lock(lockCommand("s01 ", "c01", "ts3", null, "out-ts3")))
                .as("the mapping of 's01' is not the mapping of 's01 '")
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0002"));
        assertThat(order("s01", "ts1", "out-ts1")).containsEntry("status", 0);
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
    }

    private void assertE0104(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0104"));
    }

    private LockOrderCommand lockCommand(
            String source, String channel, String userId, String teamId, String outTradeNo) {
        return LockOrderCommand.builder()
                .source(source)
                .channel(channel)
                .userId(userId)
                .teamId(teamId)
                .activityId(activityA)
                .goodsId(goodsA)
                .outTradeNo(outTradeNo)
                .notifyType("HTTP")
                .notifyUrl(NOTIFY_URL)
                .build();
    }

    private static SettleCommand settleCommand(String source, String channel, String userId, String outTradeNo) {
        return SettleCommand.builder()
                .source(source)
                .channel(channel)
                .userId(userId)
                .outTradeNo(outTradeNo)
                .outTradeTime(Instant.now())
                .build();
    }

    /** No team and no order of this test's activities (or of the unknown one tried) exists. */
    private void assertNothingWritten() {
        Object[] activities = {activityA, activityB, 99_999_999L};
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id IN (?, ?, ?)",
                        Integer.class,
                        activities))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id IN (?, ?, ?)",
                        Integer.class,
                        activities))
                .isZero();
    }

    private long redisKeys() {
        return StreamSupport.stream(
                        redisson.getKeys().getKeysByPattern(redisPrefix + "*").spliterator(), false)
                .count();
    }

    private Map<String, Object> order(String source, String userId, String outTradeNo) {
        return jdbc.queryForMap(
                "SELECT order_id, status, out_trade_time FROM group_buy_order_list "
                        + "WHERE source = ? AND user_id = ? AND out_trade_no = ?",
                source,
                userId,
                outTradeNo);
    }

    private JsonNode lockOk(
            String source, String channel, String userId, long activityId, String goodsId, String outTradeNo)
            throws Exception {
        JsonNode answer = lock(source, channel, userId, "", activityId, goodsId, outTradeNo);
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data");
    }

    private JsonNode lock(
            String source,
            String channel,
            String userId,
            String teamId,
            long activityId,
            String goodsId,
            String outTradeNo)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId
                        + "\",\"activityId\":" + activityId + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"" + source
                        + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\""
                        + NOTIFY_URL + "\"}");
    }

    private JsonNode settle(String source, String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                SETTLE,
                "{\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"outTradeTime\":\""
                        + TradeClient.now() + "\"}");
    }

    private JsonNode refund(String source, String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                port,
                REFUND,
                "{\"userId\":\"" + userId + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"source\":\"" + source
                        + "\",\"channel\":\"" + channel + "\"}");
    }
}
