package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Crowd-tag membership is a partner's user's (V16): user ids are each partner's (source + channel) own namespace, so
 * partner A's (s01/c01) tagged "u1" says nothing about partner B's (s02/c02) "u1". Over real HTTP, MariaDB and Redis,
 * in the trial (audience price and visibility) and in the lock (E0007, the tag-only discount's price), for a member of A
 * and for B's user with the same id, with ids compared exactly; and the import refuses member rows that name no partner
 * before writing anything. Before V16 partner B's "u1" was served as A's member (the trial showed it the audience price,
 * the lock took its order).
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=" + TagPartnerIsolationIT.TOKEN)
class TagPartnerIsolationIT {

    static final String TOKEN = "tag-partner-it-token-0123";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String NOTIFY_URL = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(16000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    TagBitmap bitmap;

    MarketConfigFixture market;
    CrowdTagFixture tags;

    @BeforeEach
    void fixtures() {
        market = new MarketConfigFixture(jdbc);
        tags = new CrowdTagFixture(jdbc);
    }

    @Test
    void partnerAsTaggedUserIsNotPartnerBsUserWithTheSameIdInTheTrial() throws Exception {
        tags.tag("PI-TRIAL", "s01", "c01", List.of("u1"));
        importService.importMembers("PI-TRIAL");
        long activity = activitySoldByBothPartners("PI-TRIAL", "1,2", 0, null);

        JsonNode a = trial("s01", "c01", "u1", activity).path("data");
        JsonNode b = trial("s02", "c02", "u1", activity).path("data");

        assertThat(a.path("isVisible").asBoolean()).as("A's member").isTrue();
        assertThat(a.path("isEnable").asBoolean()).isTrue();
        assertThat(a.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(b.path("isVisible").asBoolean())
                .as("B's u1 is not A's u1: %s", b)
                .isFalse();
        assertThat(b.path("isEnable").asBoolean()).isFalse();
        assertThat(b.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(b.path("goods").path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void partnerBsUserWithTheSameIdIsRefusedE0007OnLockAndPartnerAsMemberLocks() throws Exception {
        tags.tag("PI-LOCK", "s01", "c01", List.of("u1"));
        importService.importMembers("PI-LOCK");
        long activity = activitySoldByBothPartners("PI-LOCK", "2", 0, null);

        JsonNode b = lock("s02", "c02", "u1", activity, "pi-b-1");
        JsonNode a = lock("s01", "c01", "u1", activity, "pi-a-1");

        assertThat(b.path("code").asText()).as("B's u1 is not A's u1: %s", b).isEqualTo("E0007");
        assertThat(orderRows("s02", "c02", activity)).isZero();
        assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("0000");
        assertThat(a.path("data").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(orderRows("s01", "c01", activity)).isEqualTo(1);
    }

    @Test
    void aTagOfPartnerBsUsersExcludesPartnerAsUserWithTheSameId() throws Exception {
        // The reverse direction: the tag holds B's "u1" only; A's "u1" is the outsider.
        tags.tag("PI-REV", "s02", "c02", List.of("u1"));
        importService.importMembers("PI-REV");
        long activity = activitySoldByBothPartners("PI-REV", "2", 0, null);

        assertThat(lock("s01", "c01", "u1", activity, "pi-rev-a").path("code").asText())
                .isEqualTo("E0007");
        assertThat(lock("s02", "c02", "u1", activity, "pi-rev-b").path("code").asText())
                .isEqualTo("0000");
    }

    @Test
    void aTagOnlyDiscountPricesOnlyTheTaggedPartnersUser() throws Exception {
        tags.tag("PI-DISC", "s01", "c01", List.of("u1"));
        importService.importMembers("PI-DISC");
        long activity = activitySoldByBothPartners(null, null, 1, "PI-DISC");

        JsonNode bTrial = trial("s02", "c02", "u1", activity).path("data").path("goods");
        JsonNode bLock = lock("s02", "c02", "u1", activity, "pi-disc-b").path("data");
        JsonNode aLock = lock("s01", "c01", "u1", activity, "pi-disc-a").path("data");

        assertThat(bTrial.path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(bLock.path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(bLock.path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
        assertThat(aLock.path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
    }

    @Test
    void bothPartnersUsersWithOneIdAreTwoMembersEachWithItsOwnBit() throws Exception {
        tags.tag("PI-BOTH", "s01", "c01", List.of("u1"));
        tags.members("PI-BOTH", "s02", "c02", List.of("u1"));
        assertThat(importService.importMembers("PI-BOTH").members()).isEqualTo(2);
        long activity = activitySoldByBothPartners("PI-BOTH", "1,2", 0, null);

        assertThat(trial("s01", "c01", "u1", activity)
                        .path("data")
                        .path("isEnable")
                        .asBoolean())
                .isTrue();
        assertThat(trial("s02", "c02", "u1", activity)
                        .path("data")
                        .path("isEnable")
                        .asBoolean())
                .isTrue();
        assertThat(jdbc.queryForList(
                        "SELECT DISTINCT bit_index FROM crowd_user_index WHERE user_id = 'u1' AND source IS NOT NULL",
                        Long.class))
                .hasSize(2);
        assertThat(tags.statistics("PI-BOTH")).isEqualTo(2);
    }

    @Test
    void idsCompareExactlyTrailingSpacesAndCaseCount() throws Exception {
        tags.tag("PI-EXACT", "s01", "c01", List.of("u1", "v1 "));
        importService.importMembers("PI-EXACT");
        long activity = activitySoldByBothPartners("PI-EXACT", "1,2", 0, null);

        assertThat(enabled("s01", "c01", "u1", activity)).isTrue();
        assertThat(enabled("s01", "c01", "u1 ", activity))
                .as("\"u1 \" is not \"u1\"")
                .isFalse();
        assertThat(enabled("s01", "c01", "U1", activity))
                .as("\"U1\" is not \"u1\"")
                .isFalse();
        assertThat(enabled("s01", "c01", "v1 ", activity)).isTrue();
        assertThat(enabled("s01", "c01", "v1", activity))
                .as("\"v1\" is not \"v1 \"")
                .isFalse();
        assertThat(lock("s01", "c01", "U1", activity, "pi-exact-U1")
                        .path("code")
                        .asText())
                .isEqualTo("E0007");
        assertThat(lock("s01", "c01", "u1 ", activity, "pi-exact-sp")
                        .path("code")
                        .asText())
                .isEqualTo("E0007");
    }

    @Test
    void anImportOfRowsNamingNoPartnerIsRefusedAndWritesNothing() throws Exception {
        // Rows as written before V16 (no partner) beside a good one, and a blank channel: whose users are they?
        tags.tag("PI-BAD", "s01", "c01", List.of("good-1"));
        tags.members("PI-BAD", null, null, List.of("legacy-1"));
        tags.members("PI-BAD", "s01", "  ", List.of("blank-1"));

        HttpResponse<String> answer =
                TestJson.post(port, "/api/v1/gbm/admin/tag-imports/b-PI-BAD/run", "", Map.of("X-Admin-Token", TOKEN));
        JsonNode body = TestJson.JSON.readTree(answer.body());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(TestJson.fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(body.path("info").asText())
                .contains("tag PI-BAD has 2 member row(s) without a partner")
                .contains("crowd_tags_detail.source");
        assertThatThrownBy(() -> importService.importMembers("PI-BAD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a partner");
        // Nothing written: no bit position given, no bitmap published, the job and the count as they were; the rows
        // themselves are kept for the operator to fix.
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM crowd_user_index WHERE user_id IN ('good-1', 'legacy-1', 'blank-1')",
                        Integer.class))
                .isZero();
        assertThat(bitmap.isLoaded("PI-BAD")).isFalse();
        assertThat(tags.jobStatus("b-PI-BAD")).isZero();
        assertThat(tags.statistics("PI-BAD")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags_detail WHERE tag_id = 'PI-BAD'", Integer.class))
                .isEqualTo(3);

        // Once the operator names the partner, the same job loads.
        jdbc.update("UPDATE crowd_tags_detail SET source = 's01', channel = 'c01' WHERE tag_id = 'PI-BAD'"
                + " AND (source IS NULL OR channel = '  ')");
        assertThat(importService.importMembers("PI-BAD").members()).isEqualTo(3);
    }

    /** One activity sold by both partners (s01/c01 and s02/c02), with an audience tag and/or a tag-only discount. */
    private long activitySoldByBothPartners(String tagId, String scope, int discountType, String discountTagId) {
        long activityId = ACTIVITY.incrementAndGet();
        String goodsId = "g" + activityId;
        Instant now = Instant.now();
        market.goods(
                goodsId,
                activityId,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                tagId,
                scope,
                discountType,
                discountTagId);
        jdbc.update(
                "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s02', 'c02', ?, ?)",
                goodsId,
                activityId);
        return activityId;
    }

    private boolean enabled(String source, String channel, String userId, long activityId) throws Exception {
        return trial(source, channel, userId, activityId)
                .path("data")
                .path("isEnable")
                .asBoolean();
    }

    private JsonNode trial(String source, String channel, String userId, long activityId) throws Exception {
        return TestJson.postEnvelope(
                port,
                TRIAL,
                "{\"userId\":\"" + userId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"goodsId\":\"g" + activityId + "\"}");
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

    private int orderRows(String source, String channel, long activityId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE source = ? AND channel = ? AND activity_id = ?",
                Integer.class,
                source,
                channel,
                activityId);
    }
}
