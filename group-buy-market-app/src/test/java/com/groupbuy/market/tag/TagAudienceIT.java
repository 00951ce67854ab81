package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Crowd-tag audience end to end over HTTP, MariaDB and Redis: members loaded by the import job against each tag
 * scope in the trial and in the lock, and tag-only discounts.
 */
@SharedContextIntegrationTest
class TagAudienceIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    MarketConfigFixture market;
    CrowdTagFixture tags;

    @BeforeEach
    void fixtures() {
        market = new MarketConfigFixture(jdbc);
        tags = new CrowdTagFixture(jdbc);
    }

    @Test
    void scopeVisibleShowsTheGroupPriceToMembersOnlyInTheTrial() throws Exception {
        loadedTag("VIP1", "member1");
        tagActivity("g-vis", 5001, "VIP1", "1");

        JsonNode member = trial("member1", "g-vis").path("data");
        JsonNode outsider = trial("outsider", "g-vis").path("data");

        assertThat(member.path("isVisible").asBoolean()).isTrue();
        assertThat(member.path("isEnable").asBoolean()).isTrue();
        assertThat(member.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(outsider.path("isVisible").asBoolean()).isFalse();
        assertThat(outsider.path("isEnable").asBoolean()).isTrue();
        assertThat(outsider.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(outsider.path("goods").path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void scopeEnableLetsMembersJoinOnlyInTheTrial() throws Exception {
        loadedTag("VIP2", "member2");
        tagActivity("g-en", 5002, "VIP2", "2");

        JsonNode member = trial("member2", "g-en").path("data");
        JsonNode outsider = trial("outsider", "g-en").path("data");

        assertThat(member.path("isVisible").asBoolean()).isTrue();
        assertThat(member.path("isEnable").asBoolean()).isTrue();
        assertThat(outsider.path("isVisible").asBoolean()).isTrue();
        assertThat(outsider.path("isEnable").asBoolean()).isFalse();
        assertThat(outsider.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
    }

    @Test
    void scopeEnableAdmitsAMemberToLockAndRefusesANonMemberWithE0007() throws Exception {
        loadedTag("VIP3", "member3");
        tagActivity("g-lock", 5003, "VIP3", "2");

        JsonNode member = lock("member3", 5003, "g-lock", "out-m3");
        JsonNode outsider = lock("outsider", 5003, "g-lock", "out-o3");

        assertThat(member.path("code").asText()).isEqualTo("0000");
        assertThat(member.path("data").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(orderRows("member3", 5003)).isEqualTo(1);
        assertThat(outsider.path("code").asText()).isEqualTo("E0007");
        assertThat(orderRows("outsider", 5003)).isZero();
    }

    @Test
    void scopeVisibleAloneDoesNotStopANonMemberFromLocking() throws Exception {
        loadedTag("VIP4", "member4");
        tagActivity("g-vis-lock", 5004, "VIP4", "1");

        JsonNode outsider = lock("outsider", 5004, "g-vis-lock", "out-o4");

        assertThat(outsider.path("code").asText()).isEqualTo("0000");
        assertThat(orderRows("outsider", 5004)).isEqualTo(1);
    }

    @Test
    void aTagNeverLoadedAdmitsNobodyEvenItsListedMembers() throws Exception {
        tags.tag("VIP5", List.of("listed5")); // detail rows exist, the job never ran
        tagActivity("g-never", 5005, "VIP5", "1,2");

        JsonNode trial = trial("listed5", "g-never").path("data");
        JsonNode lock = lock("listed5", 5005, "g-never", "out-l5");

        assertThat(trial.path("isVisible").asBoolean()).isFalse();
        assertThat(trial.path("isEnable").asBoolean()).isFalse();
        assertThat(lock.path("code").asText()).isEqualTo("E0007");
        assertThat(orderRows("listed5", 5005)).isZero();
    }

    @Test
    void aUserAddedToTheTagIsAdmittedAfterTheJobRunsAgain() throws Exception {
        loadedTag("VIP6", "early");
        tagActivity("g-late", 5006, "VIP6", "2");
        assertThat(lock("late", 5006, "g-late", "out-late-1").path("code").asText())
                .isEqualTo("E0007");

        tags.members("VIP6", List.of("late"));
        importService.importMembers("VIP6");

        assertThat(lock("late", 5006, "g-late", "out-late-2").path("code").asText())
                .isEqualTo("0000");
    }

    @Test
    void aTagDiscountChargesMembersTheDiscountedPriceAndOthersTheOriginal() throws Exception {
        loadedTag("NEW7", "member7");
        Instant now = Instant.now();
        market.goods(
                "g-tagdisc",
                5007,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                null,
                null,
                1,
                "NEW7");

        JsonNode memberTrial = trial("member7", "g-tagdisc").path("data").path("goods");
        JsonNode outsiderTrial = trial("outsider", "g-tagdisc").path("data").path("goods");
        JsonNode memberLock = lock("member7", 5007, "g-tagdisc", "out-m7").path("data");
        JsonNode outsiderLock = lock("outsider", 5007, "g-tagdisc", "out-o7").path("data");

        assertThat(memberTrial.path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(memberTrial.path("deductionPrice").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(outsiderTrial.path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(outsiderTrial.path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
        assertThat(memberLock.path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(outsiderLock.path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(outsiderLock.path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
    }

    private void loadedTag(String tagId, String... members) {
        tags.tag(tagId, List.of(members));
        importService.importMembers("b-" + tagId);
    }

    private void tagActivity(String goodsId, long activityId, String tagId, String scope) {
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
                0,
                null);
    }

    private JsonNode trial(String userId, String goodsId) throws Exception {
        return TestJson.postEnvelope(
                port,
                TRIAL,
                "{\"userId\":\"" + userId + "\",\"source\":\"s01\",\"channel\":\"c01\"," + "\"goodsId\":\"" + goodsId
                        + "\"}");
    }

    private JsonNode lock(String userId, long activityId, String goodsId, String outTradeNo) throws Exception {
        return new TradeClient(port, activityId, goodsId, RECEIVER).lock(userId, "", outTradeNo);
    }

    private int orderRows(String userId, long activityId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND activity_id = ?",
                Integer.class,
                userId,
                activityId);
    }
}
