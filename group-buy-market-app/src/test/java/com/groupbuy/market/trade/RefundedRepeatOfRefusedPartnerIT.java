package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RefusedPartnerFixture;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
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
 * A refund we committed stays committed for its mall when the operator later refuses the partner (the live
 * black/allowlist switches): the mall's exact repeat of the refund of an order already refunded or closed is answered
 * as any repeat is ({@code 0000}, data code {@code repeat}) and changes nothing, since a committed write is never
 * reported as an error (an {@code E0105} there reads as "refund refused", and the mall keeps the money of a buyer who
 * is no longer in the team). The refusal still holds for everything else: the refused partner's order not yet
 * refunded is {@code E0105} with nothing written, and a near miss of the key (another partner, another case, a
 * trailing space, a number never locked) learns nothing. Real HTTP, MariaDB and Redis.
 */
@IntegrationTest
@TestPropertySource(
        properties = {"gbm.admin.token=it-admin", "gbm.notify.read-timeout=1s", "gbm.timeout.unpaid-timeout=5m"})
class RefundedRepeatOfRefusedPartnerIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(32400);
    private static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    private RefusedPartnerFixture partner;
    private TradeClient mall;

    @BeforeEach
    void setUp() throws Exception {
        partner = RefusedPartnerFixture.start(port, jdbc, ACTIVITY.incrementAndGet(), "refunded-repeat-it");
        mall = partner.mall();
    }

    @AfterEach
    void admitEveryone() throws Exception {
        partner.close();
    }

    @Test
    void aRefundedOrdersRepeatAfterThePartnerIsBlacklistedIsARepeatAndTheRefusalHoldsForTheRest() throws Exception {
        String teamId = mall.team("rrp1", "rrp2", "rru1");
        assertThat(mall.settle("rrp1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("rrp2").path("code").asText()).isEqualTo("0000");
        JsonNode paidRefund = mall.refund("rrp1");
        JsonNode unpaidRefund = mall.refund("rru1");
        assertThat(paidRefund.path("data").path("code").asText())
                .as(paidRefund.toString())
                .isEqualTo("success");
        assertThat(unpaidRefund.path("data").path("code").asText())
                .as(unpaidRefund.toString())
                .isEqualTo("success");
        // What an exact repeat is answered today, while the partner is admitted.
        JsonNode paidRepeat = mall.refund("rrp1");
        JsonNode unpaidRepeat = mall.refund("rru1");
        assertThat(List.of(paidRepeat, unpaidRepeat)).allSatisfy(a -> {
            assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("0000");
            assertThat(a.path("data").path("code").asText()).as(a.toString()).isEqualTo("repeat");
        });
        assertThat(paidRepeat.path("data").path("orderId").asText())
                .isEqualTo(paidRefund.path("data").path("orderId").asText());
        JsonNode unknownBefore = TestJson.postEnvelope(port, REFUND, refund("s02", "c02", "rrp1", "out-rrp1"));
        Map<String, Object> before = everything(teamId);
        partner.switchTo("settlementBlacklist", "s01:c01,s02:c02");

        assertThat(mall.refund("rrp1")).as("the paid order's repeat").isEqualTo(paidRepeat);
        assertThat(mall.refund("rru1")).as("the unpaid lock's repeat").isEqualTo(unpaidRepeat);
        assertThat(mall.refund("rrp1")).isEqualTo(paidRepeat);
        assertThat(everything(teamId)).as("nothing changed").isEqualTo(before);

        // The refused partner's order not yet refunded: E0105, nothing written.
        JsonNode notYet = mall.refund("rrp2");
        assertThat(notYet.path("code").asText()).as(notYet.toString()).isEqualTo("E0105");
        assertThat(notYet.path("info").asText()).isEqualTo("source/channel refused");
        assertThat(notYet.path("data").isNull()).isTrue();
        assertThat(everything(teamId)).isEqualTo(before);

        // Near misses of a refunded order's key answer as any refused refund did before: no oracle, nothing written.
        List<JsonNode> nearMisses = List.of(
                TestJson.postEnvelope(port, REFUND, refund("s02", "c02", "rrp1", "out-rrp1")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "RRP1", "out-rrp1")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rrp1", "OUT-rrp1")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rrp1", "out-rrp1 ")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rru1 ", "out-rru1")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rrp1", "out-rru1")),
                TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rrnobody", "out-rrnobody")));
        assertThat(unknownBefore.path("code").asText()).isEqualTo("E0104");
        assertThat(nearMisses)
                .allSatisfy(a ->
                        assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("E0105"))
                .allSatisfy(a -> assertThat(a).isEqualTo(notYet));
        partner.switchTo("settlementBlacklist", "s01:c01");
        assertThat(TestJson.postEnvelope(port, REFUND, refund("s02", "c02", "rrp1", "out-rrp1")))
                .as("an admitted partner asking for the refused one's order: what it got before")
                .isEqualTo(unknownBefore);
        assertThat(everything(teamId)).isEqualTo(before);
    }

    @Test
    void aRefundedOrdersRepeatOutsideTheAllowlistIsARepeatInACompleteTeam() throws Exception {
        String teamId = mall.team("rrq1", "rrq2", "rrq3");
        String paidAt = TradeClient.now();
        for (String user : List.of("rrq1", "rrq2", "rrq3")) {
            assertThat(mall.settle(user, paidAt).path("code").asText()).isEqualTo("0000");
        }
        JsonNode refunded = mall.refund("rrq2");
        assertThat(refunded.path("data").path("info").asText()).startsWith("paid_formed");
        JsonNode repeat = mall.refund("rrq2");
        assertThat(repeat.path("data").path("code").asText()).isEqualTo("repeat");
        Map<String, Object> before = everything(teamId);
        partner.switchTo("settlementAllowlist", "s09:c09");

        assertThat(mall.refund("rrq2")).isEqualTo(repeat);
        assertThat(everything(teamId)).isEqualTo(before);
        JsonNode paid = mall.refund("rrq1");
        assertThat(paid.path("code").asText()).as(paid.toString()).isEqualTo("E0105");
        assertThat(TestJson.postEnvelope(port, REFUND, refund("s01", "c01", "rrq2", "out-RRQ2")))
                .isEqualTo(paid);
        assertThat(everything(teamId)).isEqualTo(before);
    }

    /**
     * An order the timeout closed (never paid, never refunded by its mall): docs/api.md answers a refund of any closed
     * order {@code repeat}, whoever closed it, and so it is after the partner is refused: the buyer is out of the team.
     */
    @Test
    void aTimeoutClosedLocksRefundAfterThePartnerIsRefusedIsTheRepeatItWasBefore() throws Exception {
        String teamId = mall.team("rrt1", "rrt2");
        jdbc.update(
                "UPDATE group_buy_order_list SET create_time = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE "
                        + "WHERE user_id = ? AND out_trade_no = ?",
                "rrt1",
                "out-rrt1");
        assertThat(timeoutService.execTimeoutCloseJob().closedUnpaid()).isGreaterThanOrEqualTo(1);
        assertThat(counts.orderStatus("rrt1")).isEqualTo(2);
        JsonNode repeat = mall.refund("rrt1");
        assertThat(repeat.path("data").path("code").asText())
                .as(repeat.toString())
                .isEqualTo("repeat");
        Map<String, Object> before = everything(teamId);
        partner.switchTo("settlementBlacklist", "s01:c01");

        assertThat(mall.refund("rrt1")).isEqualTo(repeat);
        JsonNode live = mall.refund("rrt2");
        assertThat(live.path("code").asText()).as(live.toString()).isEqualTo("E0105");
        assertThat(everything(teamId)).isEqualTo(before);
    }

    /** Every row and counter a refund could touch for the team (tasks without what their delivery changes). */
    private Map<String, Object> everything(String teamId) {
        return Map.of(
                "orders",
                jdbc.queryForList("SELECT * FROM group_buy_order_list WHERE team_id = ? ORDER BY order_id", teamId),
                "teams",
                jdbc.queryForList("SELECT * FROM group_buy_order WHERE team_id = ?", teamId),
                "tasks",
                jdbc.queryForList(
                        "SELECT id, task_key, webhook_id, team_id, source, channel, notify_category, notify_type, "
                                + "parameter_json FROM notify_task WHERE team_id = ? ORDER BY id",
                        teamId),
                "latePayments",
                jdbc.queryForList("SELECT * FROM late_payment WHERE team_id = ?", teamId),
                "places",
                counts.redisPlaces(teamId));
    }

    private static String refund(String source, String channel, String userId, String outTradeNo) {
        return "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + userId
                + "\",\"outTradeNo\":\"" + outTradeNo + "\"}";
    }
}
