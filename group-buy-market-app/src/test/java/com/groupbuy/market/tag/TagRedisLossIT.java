package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Our Redis keeps nothing on disk: a restart (or a failover to an empty replica, a flush) loses every crowd-tag
 * bitmap. Before, every tag-bound activity then treated every buyer as a non-member (no audience price, hidden, E0007
 * on lock) until an operator ran the import again. Now a tag the database says was imported is answered from its
 * member rows at once and rebuilt in the background, without an import run: partner A's tagged user keeps the
 * audience price, the visibility and the lock; partner B's user with the same id and A's untagged user are still
 * refused, before and after the rebuild. The redis-server is this class's own ({@link PrivateRedisServer}), killed
 * and started again empty.
 */
@IntegrationTest
@PrivateRedisServer
class TagRedisLossIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(26_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    PrivateRedis redis;

    @Test
    void aTaggedMemberKeepsTheAudiencePriceAndTheLockAfterRedisLostItsDataAndNonMembersStayOut() throws Exception {
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag("RL-TAG", "s01", "c01", List.of("u1", "u2"));
        importService.importMembers("RL-TAG");
        long activity = activitySoldByBothPartners("RL-TAG");
        assertThat(trial("s01", "c01", "u1", activity).path("isEnable").asBoolean())
                .isTrue();

        redis.kill();
        redis.startAgain();
        AppRedisAnswers.await(bitmap);
        assertThat(bitmap.isLoaded("RL-TAG")).as("Redis lost it").isFalse();

        // At once, from the database (the rebuild may or may not have finished): no import was run.
        JsonNode a = trial("s01", "c01", "u1", activity);
        assertThat(a.path("isVisible").asBoolean())
                .as("A's member after the loss: %s", a)
                .isTrue();
        assertThat(a.path("isEnable").asBoolean()).isTrue();
        assertThat(a.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertNotMembers(activity, "rl-1");
        JsonNode lockA = lock("s01", "c01", "u1", activity, "rl-a-1");
        assertThat(lockA.path("code").asText()).as(lockA.toString()).isEqualTo("0000");
        assertThat(lockA.path("data").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");

        // The bitmap comes back by itself, from the member rows, and answers the same.
        long deadline = System.currentTimeMillis() + 30_000;
        while (!bitmap.isLoaded("RL-TAG") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(bitmap.isLoaded("RL-TAG"))
                .as("rebuilt without an import run")
                .isTrue();
        assertThat(tags.statistics("RL-TAG")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags_job WHERE tag_id = 'RL-TAG'", Integer.class))
                .as("no job added")
                .isEqualTo(1);
        assertThat(trial("s01", "c01", "u2", activity).path("isEnable").asBoolean())
                .isTrue();
        assertNotMembers(activity, "rl-2");
    }

    @Test
    void aTagNeverImportedStillAdmitsNobodyAfterTheLoss() throws Exception {
        // Members in the database but no import ever finished: the operator's job not run, not a loss.
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag("RL-NEVER", "s01", "c01", List.of("u1"));
        long activity = activitySoldByBothPartners("RL-NEVER");

        assertThat(trial("s01", "c01", "u1", activity).path("isEnable").asBoolean())
                .isFalse();
        assertThat(lock("s01", "c01", "u1", activity, "rl-never").path("code").asText())
                .isEqualTo("E0007");
        Thread.sleep(500);
        assertThat(bitmap.isLoaded("RL-NEVER"))
                .as("not built behind the operator's back")
                .isFalse();
    }

    /** Partner B's u1 (A's u1 is tagged) and A's untagged u9: no audience price, hidden, E0007 on lock. */
    private void assertNotMembers(long activity, String tradePrefix) throws Exception {
        JsonNode b = trial("s02", "c02", "u1", activity);
        assertThat(b.path("isVisible").asBoolean())
                .as("B's u1 is not A's u1: %s", b)
                .isFalse();
        assertThat(b.path("isEnable").asBoolean()).isFalse();
        assertThat(b.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        JsonNode stranger = trial("s01", "c01", "u9", activity);
        assertThat(stranger.path("isEnable").asBoolean())
                .as("A's untagged u9: %s", stranger)
                .isFalse();
        assertThat(lock("s02", "c02", "u1", activity, tradePrefix + "-b")
                        .path("code")
                        .asText())
                .isEqualTo("E0007");
        assertThat(lock("s01", "c01", "u9", activity, tradePrefix + "-u9")
                        .path("code")
                        .asText())
                .isEqualTo("E0007");
    }

    /** One activity sold by both partners (s01/c01 and s02/c02), visible and enabled only to the tag's members. */
    private long activitySoldByBothPartners(String tagId) {
        long activityId = ACTIVITY.incrementAndGet();
        String goodsId = "g" + activityId;
        Instant now = Instant.now();
        new MarketConfigFixture(jdbc)
                .goods(
                        goodsId,
                        activityId,
                        "ZJ",
                        "20",
                        "100.00",
                        1,
                        now.minus(1, ChronoUnit.DAYS),
                        now.plus(1, ChronoUnit.DAYS),
                        tagId,
                        "1,2",
                        0,
                        null);
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s02', 'c02', ?, ?)",
                goodsId,
                activityId);
        return activityId;
    }

    private JsonNode trial(String source, String channel, String userId, long activityId) throws Exception {
        return TestJson.postEnvelope(
                        port,
                        TRIAL,
                        "{\"userId\":\"" + userId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                                + "\",\"goodsId\":\"g" + activityId + "\"}")
                .path("data");
    }

    private JsonNode lock(String source, String channel, String userId, long activityId, String outTradeNo)
            throws Exception {
        return TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                        + activityId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"notifyUrl\":\"" + NOTIFY_URL + "\"}");
    }
}
