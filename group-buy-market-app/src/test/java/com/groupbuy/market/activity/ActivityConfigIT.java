package com.groupbuy.market.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Configured values the price and the lock must not trust blindly, over HTTP against the real MariaDB and Redis: an
 * activity that cannot run a team, a goods priced at or below zero, and the partner mapping's cache compared exactly.
 */
@SharedContextIntegrationTest
class ActivityConfigIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(57_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /**
     * A team of target 0 (or fewer) is an operator's typo; on main the lock opened it with one member, a team over
     * its target whose settlement can never complete it. Refused with E0002 naming the fault, nothing written.
     */
    @Test
    void anActivityWithATargetBelowOneLocksNothing() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        jdbc.update("UPDATE group_buy_activity SET target = 0 WHERE activity_id = ?", activityId);

        JsonNode answer = mall.lock("alice", "");

        assertThat(answer.path("code").asText()).isEqualTo("E0002");
        assertThat(answer.path("info").asText()).contains("target");
        assertThat(teamsOf(activityId)).isZero();
        assertThat(ordersOf(activityId)).isZero();
    }

    /** A team valid for 0 minutes is over the moment it opens: the buyer would pay into a team already past its end. */
    @Test
    void anActivityWithTeamsValidForNoTimeLocksNothing() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        jdbc.update("UPDATE group_buy_activity SET valid_time = 0 WHERE activity_id = ?", activityId);

        JsonNode answer = mall.lock("alice", "");

        assertThat(answer.path("code").asText()).isEqualTo("E0002");
        assertThat(answer.path("info").asText()).contains("valid");
        assertThat(teamsOf(activityId)).isZero();
        assertThat(ordersOf(activityId)).isZero();
    }

    /** A goods priced at or below zero: on main the trial answered a pay price of 0.00 or -5.00 and lock stored it. */
    @Test
    void aGoodsPricedAtOrBelowZeroIsNeitherPricedNorLocked() throws Exception {
        for (String price : new String[] {"0.00", "-5.00"}) {
            long activityId = ACTIVITY.incrementAndGet();
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
            jdbc.update("UPDATE sku SET original_price = ? WHERE goods_id = ?", price, "g" + activityId);

            JsonNode trial = trial("u1", "s01", "c01", "g" + activityId);
            JsonNode lock = mall.lock("alice", "");

            assertThat(trial.path("code").asText()).as("trial at %s", price).isEqualTo("E0002");
            assertThat(trial.path("info").asText()).contains("price");
            assertThat(lock.path("code").asText()).as("lock at %s", price).isEqualTo("E0002");
            assertThat(ordersOf(activityId)).isZero();
        }
    }

    /**
     * The partner mapping is cached under a key joining source, channel and goods with ':'; on main source s01 +
     * channel c01 + goods "k:a…" and channel "c01:k" + goods "a…" were the same key, so a partner with no mapping at
     * all was answered (and could lock through) another's activity once that one had been asked for.
     */
    @Test
    void thePartnerMappingCacheComparesSourceChannelAndGoodsExactly() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        String plain = "a" + activityId;
        String joined = "k:" + plain;
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods(joined, activityId, "ZJ", "20", "100.00");
        fixture.goods(plain, ACTIVITY.incrementAndGet(), "ZJ", "30", "100.00");

        JsonNode owner = trial("u1", "s01", "c01", joined);
        JsonNode stranger = trial("u1", "s01", "c01:k", plain);

        assertThat(owner.path("code").asText()).isEqualTo("0000");
        assertThat(owner.path("data").path("activityId").asLong()).isEqualTo(activityId);
        assertThat(stranger.path("code").asText()).isEqualTo("E0002");
        assertThat(stranger.path("info").asText())
                .contains("has no group-buy activity through source s01 channel c01:k");
    }

    /**
     * An audience tag whose scope names nothing we know: 1 and 2 joined by a full-width comma (U+FF0C), or "3". On main
     * the unknown entries were ignored, so the activity restricted nobody: a non-member saw the group price and
     * locked at it where the operator meant to hide the price and keep non-members out. Refused by name (E0002)
     * in the trial and the lock, nothing written.
     */
    @Test
    void anAudienceTagWhoseScopeNamesNothingKnownIsRefusedNotOpenToEveryone() throws Exception {
        for (String scope : new String[] {"1\uFF0C2", "3"}) {
            long activityId = ACTIVITY.incrementAndGet();
            String goodsId = "g" + activityId;
            new MarketConfigFixture(jdbc)
                    .goods(goodsId, activityId, "ZJ", "20", "100.00", "VIP" + activityId, scope, 0, null);
            TradeClient mall = new TradeClient(port, activityId, goodsId, RECEIVER);

            JsonNode trial = trial("outsider", "s01", "c01", goodsId);
            JsonNode lock = mall.lock("outsider", "");

            assertThat(trial.path("code").asText())
                    .as("trial, scope %s: %s", scope, trial)
                    .isEqualTo("E0002");
            assertThat(trial.path("info").asText()).contains("tag scope");
            assertThat(lock.path("code").asText())
                    .as("lock, scope %s: %s", scope, lock)
                    .isEqualTo("E0002");
            assertThat(ordersOf(activityId)).isZero();
        }
    }

    /**
     * A members-only discount (type 1) whose tag the operator left out: on main no tag restricted no one, so every
     * buyer saw and locked at the members' price. Refused by name (E0002) in the trial and the lock, nothing written.
     */
    @Test
    void aMembersOnlyDiscountNamingNoTagIsRefusedNotGivenToEveryone() throws Exception {
        assertDiscountRefused(1, null, "names no tag");
    }

    /**
     * A discount for everyone (type 0, the column's default, so also a members-only discount inserted without its type)
     * that names a tag: on main the tag was never asked, so a buyer in no tag saw and locked at the price written for
     * the tag's members. Refused by name (E0002) in the trial and the lock, nothing written.
     */
    @Test
    void aDiscountForEveryoneNamingATagIsRefusedNotGivenToEveryone() throws Exception {
        assertDiscountRefused(0, "VIP", "for everyone (type 0) but names tag 'VIP'");
    }

    /**
     * Stored codes this service does not know, kept as they always were (a refactor's guard): an activity status other
     * than 1 — the known 0, 2 and 3 as much as an unknown 7 or -1 — is never effective (E0101, nothing written); a
     * discount type other than 0 and 1 is refused by name with its stored code (E0002); the group type is stored but
     * not read, so an unknown one changes nothing.
     */
    @Test
    void storedCodesNobodyKnowsAreNeverReadAsEffectiveOrForEveryone() throws Exception {
        for (int status : new int[] {0, 2, 3, 7, -1}) {
            long activityId = ACTIVITY.incrementAndGet();
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
            jdbc.update("UPDATE group_buy_activity SET status = ? WHERE activity_id = ?", status, activityId);

            JsonNode trial = trial("alice", "s01", "c01", "g" + activityId);
            JsonNode lock = mall.lock("alice", "");

            assertThat(trial.path("code").asText())
                    .as("trial, status %d: %s", status, trial)
                    .isEqualTo("E0101");
            assertThat(lock.path("code").asText())
                    .as("lock, status %d: %s", status, lock)
                    .isEqualTo("E0101");
            assertThat(teamsOf(activityId)).isZero();
            assertThat(ordersOf(activityId)).isZero();
        }
        for (int type : new int[] {2, 7, -1}) {
            assertDiscountRefused(type, null, "has type " + type + " (0 for everyone, 1 for members of its tag)");
        }
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        jdbc.update("UPDATE group_buy_activity SET group_type = 7 WHERE activity_id = ?", activityId);

        assertThat(trial("alice", "s01", "c01", "g" + activityId).path("code").asText())
                .isEqualTo("0000");
        assertThat(mall.lock("alice", "").path("code").asText()).isEqualTo("0000");
        assertThat(ordersOf(activityId)).isOne();
    }

    /**
     * A goods of a new activity (ZJ 20 off 100.00, no audience tag) whose discount has this type and tag: the trial and
     * the lock of a buyer in no tag answer E0002 with {@code info} naming the fault, and nothing is written.
     */
    private void assertDiscountRefused(int discountType, String discountTagId, String info) throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        String goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc)
                .goods(goodsId, activityId, "ZJ", "20", "100.00", null, null, discountType, discountTagId);
        TradeClient mall = new TradeClient(port, activityId, goodsId, RECEIVER);

        JsonNode trial = trial("outsider", "s01", "c01", goodsId);
        JsonNode lock = mall.lock("outsider", "");

        assertThat(trial.path("code").asText()).as("trial: %s", trial).isEqualTo("E0002");
        assertThat(trial.path("info").asText()).contains(info);
        assertThat(lock.path("code").asText()).as("lock: %s", lock).isEqualTo("E0002");
        assertThat(teamsOf(activityId)).isZero();
        assertThat(ordersOf(activityId)).isZero();
    }

    private JsonNode trial(String userId, String source, String channel, String goodsId) throws Exception {
        return TestJson.postEnvelope(
                port,
                TRIAL,
                "{\"userId\":\"" + userId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"goodsId\":\"" + goodsId + "\"}");
    }

    private int teamsOf(long activityId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = ?", Integer.class, activityId);
    }

    private int ordersOf(long activityId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ?", Integer.class, activityId);
    }
}
