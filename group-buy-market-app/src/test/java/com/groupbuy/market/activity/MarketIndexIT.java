package com.groupbuy.market.activity;

import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The trial endpoint over HTTP against the real database: prices, refusals with their codes, teams, audience. */
@SharedContextIntegrationTest
class MarketIndexIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/v1/gbm/index/query_group_buy_market_config";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    MarketConfigFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new MarketConfigFixture(jdbc);
    }

    @Test
    void answersThePriceInExactlyTheContractFields() throws Exception {
        fixture.goods("g-zj", 1001, "ZJ", "20", "100.00");

        JsonNode body = trial("u1", "g-zj");

        assertThat(fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0000");
        JsonNode data = body.path("data");
        assertThat(fields(data))
                .containsExactlyInAnyOrder("activityId", "goods", "teamList", "teamStatistic", "isVisible", "isEnable");
        assertThat(data.path("activityId").asLong()).isEqualTo(1001);
        assertThat(fields(data.path("goods")))
                .containsExactlyInAnyOrder("goodsId", "originalPrice", "deductionPrice", "payPrice");
        assertThat(data.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(data.path("goods").path("deductionPrice").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(data.path("isVisible").asBoolean()).isTrue();
        assertThat(data.path("isEnable").asBoolean()).isTrue();
        assertThat(data.path("teamList").isArray()).isTrue();
        assertThat(data.path("teamStatistic").path("allTeamCount").asInt()).isZero();
    }

    @Test
    void percentagePlanKeepsCents() throws Exception {
        fixture.goods("g-zk", 1002, "ZK", "0.85", "99.99");

        JsonNode goods = trial("u1", "g-zk").path("data").path("goods");

        assertThat(goods.path("payPrice").decimalValue()).isEqualByComparingTo("84.99");
        assertThat(goods.path("deductionPrice").decimalValue()).isEqualByComparingTo("15.00");
    }

    @Test
    void unknownGoodsIsE0002() throws Exception {
        assertThat(trial("u1", "no-such").path("code").asText()).isEqualTo("E0002");
    }

    @Test
    void unknownPlanIsE0001() throws Exception {
        fixture.goods("g-xx", 1003, "XX", "1", "100.00");

        assertThat(trial("u1", "g-xx").path("code").asText()).isEqualTo("E0001");
    }

    @Test
    void activityNotEffectiveIsE0101AndOutsideItsWindowIsE0102() throws Exception {
        Instant now = Instant.now();
        fixture.goods(
                "g-created",
                1004,
                "ZJ",
                "20",
                "100.00",
                0,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                null,
                null,
                0,
                null);
        fixture.goods(
                "g-ended",
                1005,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(2, ChronoUnit.DAYS),
                now.minus(1, ChronoUnit.DAYS),
                null,
                null,
                0,
                null);
        fixture.goods(
                "g-future",
                1006,
                "ZJ",
                "20",
                "100.00",
                1,
                now.plus(1, ChronoUnit.DAYS),
                now.plus(2, ChronoUnit.DAYS),
                null,
                null,
                0,
                null);

        assertThat(trial("u1", "g-created").path("code").asText()).isEqualTo("E0101");
        assertThat(trial("u1", "g-ended").path("code").asText()).isEqualTo("E0102");
        assertThat(trial("u1", "g-future").path("code").asText()).isEqualTo("E0102");
    }

    @Test
    void missingOrOverlongFieldIs0002NamingTheField() throws Exception {
        JsonNode missing = post("{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\"}");
        JsonNode tooLong = post(
                "{\"userId\":\"" + "u".repeat(33) + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g\"}");

        assertThat(missing.path("code").asText()).isEqualTo("0002");
        assertThat(missing.path("info").asText()).contains("goodsId");
        assertThat(tooLong.path("code").asText()).isEqualTo("0002");
        assertThat(tooLong.path("info").asText()).contains("userId");
    }

    @Test
    void tagRestrictedActivityWithUnloadedTagAdmitsNobody() throws Exception {
        Instant now = Instant.now();
        fixture.goods(
                "g-tag",
                1007,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                "TAG1",
                "1,2",
                0,
                null);
        fixture.goods(
                "g-tag-join",
                1008,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                "TAG1",
                "2",
                0,
                null);

        JsonNode hidden = trial("u1", "g-tag").path("data");
        JsonNode seeOnly = trial("u1", "g-tag-join").path("data");

        assertThat(hidden.path("isVisible").asBoolean()).isFalse();
        assertThat(hidden.path("isEnable").asBoolean()).isFalse();
        assertThat(hidden.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(hidden.path("goods").path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
        assertThat(seeOnly.path("isVisible").asBoolean()).isTrue();
        assertThat(seeOnly.path("isEnable").asBoolean()).isFalse();
        assertThat(seeOnly.path("goods").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
    }

    @Test
    void tagOnlyDiscountChargesNonMembersTheOriginalPrice() throws Exception {
        Instant now = Instant.now();
        fixture.goods(
                "g-tagdisc",
                1009,
                "ZJ",
                "20",
                "100.00",
                1,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(1, ChronoUnit.DAYS),
                null,
                null,
                1,
                "TAG2");

        JsonNode goods = trial("u1", "g-tagdisc").path("data").path("goods");

        assertThat(goods.path("payPrice").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(goods.path("deductionPrice").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void teamListShowsOwnTeamFirstThenJoinableTeamsSoonestFirstWithCountdown() throws Exception {
        fixture.goods("g-teams", 1010, "ZJ", "20", "100.00");
        Instant now = Instant.now();
        fixture.team("T0000001", 1010, "leader1", 1, 0, 0, now.plus(10, ChronoUnit.MINUTES));
        fixture.team("T0000002", 1010, "leader2", 2, 1, 0, now.plus(5, ChronoUnit.MINUTES));
        fixture.team("T0000003", 1010, "leader3", 1, 1, 0, now.plus(7, ChronoUnit.MINUTES));
        fixture.team("T0000004", 1010, "leader4", 3, 3, 1, now.plus(3, ChronoUnit.MINUTES)); // complete
        fixture.team("T0000005", 1010, "leader5", 3, 2, 0, now.plus(4, ChronoUnit.MINUTES)); // no place left
        fixture.team("T0000006", 1010, "leader6", 1, 0, 0, now.minus(1, ChronoUnit.MINUTES)); // expired
        fixture.team("T0000007", 1010, "me", 1, 0, 0, now.plus(12, ChronoUnit.MINUTES));
        fixture.member("T0000007", 1010, "me", "100000000007", "out-me-1", 0);

        JsonNode data = trial("me", "g-teams").path("data");
        List<String> teamIds = new ArrayList<>();
        data.path("teamList").forEach(team -> teamIds.add(team.path("teamId").asText()));

        assertThat(teamIds).containsExactly("T0000007", "T0000002", "T0000003");
        JsonNode own = data.path("teamList").get(0);
        assertThat(own.path("outTradeNo").asText()).isEqualTo("out-me-1");
        assertThat(own.path("userId").asText()).isEqualTo("me");
        assertThat(own.path("validTimeCountdown").asText()).matches(Pattern.compile("00:1[12]:\\d\\d"));
        assertThat(own.path("validEndTime").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(data.path("teamList").get(1).path("outTradeNo").isNull()).isTrue();
        assertThat(data.path("teamStatistic").path("allTeamCount").asInt()).isEqualTo(7);
        assertThat(data.path("teamStatistic").path("allTeamCompleteCount").asInt())
                .isEqualTo(1);
        assertThat(data.path("teamStatistic").path("allTeamUserCount").asInt()).isEqualTo(12);
    }

    @Test
    void aTeamEmptiedByRefundsIsNotOfferedAndATeamWhoseLeaderLeftIsShownUnderAMemberStillInIt() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 1013, "http://127.0.0.1:9/cb");
        String leaderLeft = mall.team("lead-a", "stay-a");
        String emptied = mall.team("lead-b", "gone-b");
        String intact = mall.team("lead-c");
        for (String user : List.of("lead-a", "lead-b", "gone-b")) {
            assertThat(mall.refund(user).path("data").path("code").asText()).isEqualTo("success");
        }
        jdbc.update(
                "UPDATE group_buy_order SET valid_end_time = valid_end_time - INTERVAL 1 MINUTE WHERE team_id = ?",
                leaderLeft); // soonest to close first, so the order of the list is known

        JsonNode teamList = trial("viewer", "g1013").path("data").path("teamList");
        List<String> teamIds = new ArrayList<>();
        teamList.forEach(team -> teamIds.add(team.path("teamId").asText()));

        assertThat(jdbc.queryForObject(
                        "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, emptied))
                .isZero();
        assertThat(teamIds).containsExactly(leaderLeft, intact).doesNotContain(emptied);
        assertThat(teamList.get(0).path("userId").asText())
                .as("the leader left; a member still in it is shown")
                .isEqualTo("stay-a");
        assertThat(teamList.get(0).path("lockCount").asInt()).isEqualTo(1);
        assertThat(teamList.get(1).path("userId").asText()).isEqualTo("lead-c");
        JsonNode own = trial("stay-a", "g1013").path("data").path("teamList").get(0);
        assertThat(own.path("teamId").asText()).isEqualTo(leaderLeft);
        assertThat(own.path("userId").asText()).isEqualTo("stay-a");
    }

    @Test
    void trialWritesNothing() throws Exception {
        fixture.goods("g-ro", 1011, "ZJ", "20", "100.00");
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order", Integer.class)
                + jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class);

        trial("u1", "g-ro");
        post("{\"userId\":\"u1\"}");

        int after = jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order", Integer.class)
                + jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class);
        assertThat(after).isEqualTo(before);
    }

    private JsonNode trial(String userId, String goodsId) throws Exception {
        return post("{\"userId\":\"" + userId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"" + goodsId
                + "\"}");
    }

    private JsonNode post(String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
