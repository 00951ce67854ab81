package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RefusedPartnerFixture;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A payment we settled stays settled for its mall when the operator later refuses the partner (the live
 * black/allowlist switches): the payment provider's exact repeat of the notice is answered {@code 0000} with exactly
 * the first settlement's data and changes nothing, since a committed write is never reported as an error (an
 * {@code E0105} there reads as "payment not taken", and the mall refunds a buyer whose team may be complete). The
 * refusal still holds for everything else: the refused partner's unsettled order is {@code E0105} (recorded for
 * operators, nothing else written), and a near miss of the key (another partner, another user, another case) learns
 * nothing. Real HTTP, MariaDB and Redis; the partner's callback endpoint a real HTTP server. With settlements' reads
 * and writes grouped (the defaults); {@link SettledRepeatOfRefusedPartnerAloneIT} runs it with each alone.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.admin.token=it-admin", "gbm.notify.read-timeout=1s"})
class SettledRepeatOfRefusedPartnerIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(31400);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    private RefusedPartnerFixture partner;
    private TradeClient mall;

    @BeforeEach
    void setUp() throws Exception {
        partner = RefusedPartnerFixture.start(port, jdbc, ACTIVITY.incrementAndGet(), "settled-repeat-it");
        mall = partner.mall();
    }

    @AfterEach
    void admitEveryone() throws Exception {
        partner.close();
    }

    @Test
    void aSettledOrdersRepeatAfterThePartnerIsBlacklistedIsItsFirstAnswerAndTheRefusalHoldsForTheRest()
            throws Exception {
        partner.server()
                .enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = mall.team("a1", "a2", "a3");
        String waitingTeam = mall.team("w1");
        String paidAt = TradeClient.now();
        JsonNode first1 = mall.settle("a1", paidAt);
        JsonNode first2 = mall.settle("a2", paidAt);
        JsonNode first3 = mall.settle("a3", paidAt);
        assertThat(List.of(first1, first2, first3))
                .allSatisfy(a ->
                        assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("0000"));
        await(() -> taskStatuses(teamId).equals(List.of(1)));
        Map<String, Object> before = everything(teamId, waitingTeam, true);
        JsonNode unknownBefore = TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s02", "c02", "a3", "x"));
        partner.switchTo("settlementBlacklist", "s01:c01,s02:c02");

        JsonNode repeat3 = mall.settle("a3", paidAt);
        JsonNode repeat1 = mall.settle("a1", paidAt);
        JsonNode repeat1Again = mall.settle("a1", paidAt);

        assertThat(repeat3)
                .as("the completing payment's repeat: its first answer")
                .isEqualTo(first3);
        assertThat(repeat1).isEqualTo(first1);
        assertThat(repeat1Again).isEqualTo(first1);
        assertThat(everything(teamId, waitingTeam, true)).as("nothing changed").isEqualTo(before);
        assertThat(partner.server().getRequestCount())
                .as("the team's callback went once")
                .isEqualTo(1);

        // The refused partner's unsettled order: still E0105, recorded for operators (docs/api.md), nothing else.
        JsonNode unsettled = mall.settle("w1", paidAt);
        assertThat(unsettled.path("code").asText()).isEqualTo("E0105");
        assertThat(unsettled.path("info").asText()).isEqualTo("source/channel refused");
        assertThat(unsettled.path("data").isNull()).isTrue();
        assertThat(counts.order("w1")).isEqualTo(before.get("w1"));
        assertThat(jdbc.queryForList(
                        "SELECT user_id, refusal, notice_count FROM late_payment WHERE team_id IN (?, ?)",
                        teamId,
                        waitingTeam))
                .containsExactly(Map.of("user_id", "w1", "refusal", "E0105", "notice_count", 1));
        jdbc.update("DELETE FROM late_payment WHERE user_id = 'w1'");

        // Near misses of a settled order's key answer as any refused notice did before: no oracle, nothing written.
        List<JsonNode> nearMisses = List.of(
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s02", "c02", "a3", "out-a3")),
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "A3", "out-a3")),
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "a3", "OUT-a3")),
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "a3", "out-a3 ")),
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "a3", "out-a1")),
                TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "nobody", "out-nobody")));
        assertThat(unknownBefore.path("code").asText()).isEqualTo("E0104");
        assertThat(nearMisses)
                .allSatisfy(a ->
                        assertThat(a.path("code").asText()).as(a.toString()).isEqualTo("E0105"))
                .allSatisfy(a -> assertThat(a).isEqualTo(nearMisses.get(0)));
        partner.switchTo("settlementBlacklist", "s01:c01");
        assertThat(TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s02", "c02", "a3", "out-a3")))
                .as("an admitted partner asking for the refused one's order: what it got before")
                .isEqualTo(unknownBefore);
        assertThat(everything(teamId, waitingTeam, true)).isEqualTo(before);
    }

    @Test
    void aSettledOrdersRepeatOutsideTheAllowlistIsItsFirstAnswerEvenAfterItsRefund() throws Exception {
        mall.team("b1", "b2");
        String paidAt = TradeClient.now();
        JsonNode first1 = mall.settle("b1", paidAt);
        JsonNode first2 = mall.settle("b2", paidAt);
        assertThat(first1.path("code").asText()).isEqualTo("0000");
        assertThat(first2.path("code").asText()).isEqualTo("0000");
        assertThat(mall.refund("b2").path("code").asText()).isEqualTo("0000");
        String teamId = first1.path("data").path("teamId").asText();
        Map<String, Object> before = everything(teamId, teamId, false);
        partner.switchTo("settlementAllowlist", "s09:c09");

        assertThat(mall.settle("b1", paidAt)).isEqualTo(first1);
        assertThat(mall.settle("b2", paidAt))
                .as("settled, then refunded: its first answer, whatever happened since")
                .isEqualTo(first2);
        assertThat(everything(teamId, teamId, false)).isEqualTo(before);
        assertThat(TestJson.postEnvelope(port, TradeClient.SETTLEMENT, notice("s01", "c01", "b1", "out-B1"))
                        .path("code")
                        .asText())
                .isEqualTo("E0105");
    }

    /**
     * Every row and counter a settlement could touch, for the two teams. With {@code deliveredTasks} the tasks whole
     * (their delivery over, awaited) and their attempts; else what no delivery changes (a refund's callbacks may still
     * be on their way).
     */
    private Map<String, Object> everything(String teamId, String otherTeamId, boolean deliveredTasks) {
        String taskColumns = deliveredTasks
                ? "*"
                : "id, task_key, webhook_id, team_id, source, channel, notify_category, notify_type, parameter_json";
        return Map.of(
                "orders",
                jdbc.queryForList(
                        "SELECT * FROM group_buy_order_list WHERE team_id IN (?, ?) ORDER BY order_id",
                        teamId,
                        otherTeamId),
                "teams",
                jdbc.queryForList(
                        "SELECT * FROM group_buy_order WHERE team_id IN (?, ?) ORDER BY team_id", teamId, otherTeamId),
                "tasks",
                jdbc.queryForList(
                        "SELECT " + taskColumns + " FROM notify_task WHERE team_id IN (?, ?) ORDER BY id",
                        teamId,
                        otherTeamId),
                "attempts",
                deliveredTasks
                        ? jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                        + "WHERE t.team_id IN (?, ?)",
                                Integer.class,
                                teamId,
                                otherTeamId)
                        : 0,
                "latePayments",
                jdbc.queryForList("SELECT * FROM late_payment WHERE team_id IN (?, ?)", teamId, otherTeamId),
                "places",
                List.of(counts.redisPlaces(teamId), counts.redisPlaces(otherTeamId)),
                "w1",
                otherTeamId.equals(teamId) ? Map.of() : counts.order("w1"));
    }

    private List<Integer> taskStatuses(String teamId) {
        return jdbc.queryForList("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    private static String notice(String source, String channel, String userId, String outTradeNo) {
        return "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + userId
                + "\",\"outTradeNo\":\"" + outTradeNo + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}";
    }
}
