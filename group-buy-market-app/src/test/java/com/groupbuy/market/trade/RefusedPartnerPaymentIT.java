package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A partner refused on settlement (the black/allowlist switch, E0105) after its buyers locked and paid: the mall holds
 * a buyer's money for an order we will not take, so the paid notice of its own order is recorded in late_payment
 * like E0106/E0206/E0208, and the answer stays E0105. Never another partner's order, nothing for a number nobody
 * locked, nothing for an order we already took (its repeat is answered as its first settlement). A new lock of a refused
 * partner is refused E0105 before it is priced, its retry of an order locked before answered that order. The blacklist
 * is changed live through the admin API, as an operator
 * does, over real HTTP, MariaDB and Redis.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-admin")
class RefusedPartnerPaymentIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(7700);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    private TradeClient mall;

    @BeforeEach
    void setUp() {
        mall = TradeClient.onNewGoods(
                port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:1/api/v1/test/group_buy_notify");
    }

    @AfterEach
    void admitEveryone() throws Exception {
        blacklist("");
        switchTo("settlementAllowlist", "");
    }

    @Test
    void aPaidNoticeOfItsOwnOrderFromAPartnerRefusedAfterTheLockIsE0105AndRecordedOncePerOrder() throws Exception {
        String teamId = mall.team("b1", "b2");
        Map<String, Object> orderBefore = counts.order("b1");
        Map<String, Object> teamBefore = counts.team(teamId);
        blacklist("s01:c01");

        JsonNode refused = mall.settle("b1");
        JsonNode repeated = mall.settle("b1");

        assertThat(refused.path("code").asText()).isEqualTo("E0105");
        assertThat(refused.path("info").asText()).isEqualTo("source/channel refused");
        assertThat(refused.path("data").isNull()).isTrue();
        assertThat(repeated).isEqualTo(refused);
        assertThat(jdbc.queryForList("SELECT order_id, team_id, source, channel, refusal, notice_count "
                        + "FROM late_payment WHERE user_id = 'b1'"))
                .as("the buyer paid and we refused the partner: one row for operators, the repeat counted on it")
                .containsExactly(Map.of(
                        "order_id",
                        orderBefore.get("order_id"),
                        "team_id",
                        teamId,
                        "source",
                        "s01",
                        "channel",
                        "c01",
                        "refusal",
                        "E0105",
                        "notice_count",
                        2));
        assertThat(counts.order("b1")).as("nothing else changes").isEqualTo(orderBefore);
        assertThat(counts.team(teamId)).isEqualTo(teamBefore);
        assertThat(counts.lateNotices("b2"))
                .as("the other member sent no notice")
                .isZero();
    }

    @Test
    void aNumberNobodyLockedAndAnotherPartnersOrderAreNeverLookedUpAsTheRefusedPartnersOwn() throws Exception {
        mall.team("n1");
        blacklist("s01:c01,s02:c02");

        JsonNode unknown = mall.settle("nobody");
        JsonNode othersOrder = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s02\",\"channel\":\"c02\",\"userId\":\"n1\",\"outTradeNo\":\"out-n1\","
                        + "\"outTradeTime\":\"" + TradeClient.now() + "\"}");

        assertThat(unknown.path("code").asText()).isEqualTo("E0105");
        assertThat(othersOrder.path("code").asText())
                .as("the same answer as for any refused partner")
                .isEqualTo("E0105");
        assertThat(othersOrder.path("info").asText()).isEqualTo("source/channel refused");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM late_payment", Integer.class))
                .as("s02 never paid for s01's order; nobody locked 'nobody'")
                .isZero();
        assertThat(counts.orderStatus("n1")).isZero();
    }

    @Test
    void aRepeatedNoticeOfAnOrderSettledBeforeThePartnerWasRefusedIsItsFirstAnswerAndNotRecorded() throws Exception {
        mall.team("p1", "p2");
        String paidAt = TradeClient.now();
        JsonNode first = mall.settle("p1", paidAt);
        assertThat(first.path("code").asText()).isEqualTo("0000");
        Map<String, Object> paid = counts.order("p1");
        blacklist("s01:c01");

        JsonNode repeated = mall.settle("p1", paidAt);

        assertThat(repeated)
                .as("we took that payment: a committed write is never answered as an error (since 2026-12-03)")
                .isEqualTo(first);
        assertThat(counts.lateNotices("p1"))
                .as("we took that payment: the mall owes its buyer nothing")
                .isZero();
        assertThat(counts.order("p1")).isEqualTo(paid);
    }

    /**
     * A lock is where the mall learns the price to charge: answered {@code 0000} to a partner whose settlements are
     * refused, its buyer paid for an order we would then refuse to take ({@code E0105}, the mall refunds), and the
     * order could not even be cancelled (refunds answer {@code E0105} too): its place and take were held until the
     * unpaid timeout. On main the lock answered {@code 0000} with a price and wrote the team and the order.
     */
    @Test
    void aLockFromAPartnerRefusedOnSettlementIsRefusedBeforeItIsPricedOrTakesAPlace() throws Exception {
        String teamId = mall.team("k1");
        blacklist("s01:c01");

        JsonNode opening = mall.lock("k2", "");
        JsonNode joining = mall.lock("k3", teamId);

        for (JsonNode answer : new JsonNode[] {opening, joining}) {
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("E0105");
            assertThat(answer.path("info").asText()).isEqualTo("source/channel refused");
            assertThat(answer.path("data").isNull()).isTrue();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id IN ('k2', 'k3')", Integer.class))
                .as("no order written")
                .isZero();
        assertThat(counts.lockCount(teamId)).as("no place taken in the team").isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).as("nor in Redis").isEqualTo(1);
    }

    /** The allowlist refuses every pair it does not name, at lock as at settlement. */
    @Test
    void aLockFromAPartnerOutsideTheAllowlistIsRefused() throws Exception {
        switchTo("settlementAllowlist", "s02:c02");

        JsonNode answer = mall.lock("w1", "");

        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("E0105");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'w1'", Integer.class))
                .isZero();
    }

    /** The retry of a lock committed before the partner was refused is answered its order, as every repeat is. */
    @Test
    void aRepeatOfALockCommittedBeforeThePartnerWasRefusedIsAnsweredItsOrder() throws Exception {
        JsonNode first = mall.lock("r1", "");
        assertThat(first.path("code").asText()).isEqualTo("0000");
        blacklist("s01:c01");

        JsonNode repeated = mall.lock("r1", "");

        assertThat(repeated).isEqualTo(first);
    }

    private void blacklist(String pairs) throws Exception {
        switchTo("settlementBlacklist", pairs);
    }

    private void switchTo(String name, String pairs) throws Exception {
        JsonNode answer = TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/admin/switches/" + name,
                        "{\"value\":\"" + pairs + "\",\"operator\":\"refused-partner-it\"}",
                        Map.of("X-Admin-Token", "it-admin"))
                .body());
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
    }
}
