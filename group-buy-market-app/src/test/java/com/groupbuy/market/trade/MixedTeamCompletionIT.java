package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A team mixed before teams were kept to their partner (legacy data, planted with SQL as {@link TeamOwnershipIT}
 * does) completes over HTTP: every partner whose buyers paid in it is told, each on its own target (the one its own
 * latest team in the activity named: A's and B's HTTP receivers, C's queue bound to {@code topic.team_success} on the
 * real RabbitMQ), each body listing only its own members' trade numbers, each signed with its own secret; the team's
 * own partner's callback keeps its task key and body; a repeated settlement owes nothing more. Group commit of
 * settlements is on here (the default: a lone settlement goes through {@code SettlementBatchWriter});
 * {@link MixedTeamCompletionWrittenAloneIT} runs the same with it off.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
class MixedTeamCompletionIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(23000);
    private static final Map<String, String> SECRETS =
            Map.of("s01", "test_secret", "s02", "test_secret_b", "s03", "test_secret_c");

    @DynamicPropertySource
    static void partners(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.secrets.s02.c02", () -> SECRETS.get("s02"));
        registry.add("gbm.notify.secrets.s03.c03", () -> SECRETS.get("s03"));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    ObjectProvider<SettlementGroupCommit> groupCommit;

    @Autowired
    DueCallbackDeliveryService notifyService;

    /** A's and B's team-success endpoints (the notifyUrl of their locks); C is an MQ partner. */
    private PartnerReceiver successA;

    private PartnerReceiver successB;
    private MallQueue mallC;
    private long activityId;
    private String goodsId;

    /** Whether this class runs with group commit of settlements (the default); the subclass turns it off. */
    boolean groupCommitExpected() {
        return true;
    }

    @BeforeEach
    void threePartnersOneActivity() throws Exception {
        assertThat(groupCommit.getIfAvailable())
                .as("the settlement group commit writer (gbm.settlement.group-commit.enabled)")
                .matches(writer -> (writer != null) == groupCommitExpected());
        successA = new PartnerReceiver();
        successB = new PartnerReceiver();
        mallC = new MallQueue("topic.team_success");
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        mapGoodsFor("s02", "c02");
        mapGoodsFor("s03", "c03");
    }

    @AfterEach
    void closePartners() throws Exception {
        successA.close();
        successB.close();
        mallC.close();
    }

    @Test
    void everyPartnerWithPaidMembersIsToldOnItsOwnTargetWithOnlyItsOwnMembersSignedWithItsOwnSecret() throws Exception {
        // B and C each opened a team of their own in the activity: their locks named their targets.
        lockOk("s02", "c02", u("b0"), "");
        lockOk("s03", "c03", u("c0"), "");
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        plantMember(teamId, "s02", "c02", u("b1"), 1, 1);
        plantMember(teamId, "s03", "c03", u("m1"), 1, 2);

        JsonNode settled = settle("s01", "c01", u("a1"));

        assertThat(settled.path("code").asText()).as(settled.toString()).isEqualTo("0000");
        assertThat(counts.team(teamId)).containsEntry("status", 1).containsEntry("complete_count", 3);
        await(() -> successA.received().size() == 1
                && successB.received().size() == 1
                && mallC.forTeam(teamId).size() == 1);
        assertThat(successA.signedReceived().get(0).body())
                .as("the team partner's callback, byte for byte as for any team: only A's numbers")
                .isEqualTo(body(teamId, "a1"));
        assertSigned(successA.signedReceived().get(0), "s01");
        assertThat(successB.signedReceived().get(0).body()).isEqualTo(body(teamId, "b1"));
        assertSigned(successB.signedReceived().get(0), "s02");
        MallQueue.Received toC = mallC.forTeam(teamId).get(0);
        assertThat(toC.body()).isEqualTo(body(teamId, "m1"));
        assertThat(toC.routingKey()).isEqualTo("topic.team_success");
        assertThat(WebhookSignature.verify(
                        SECRETS.get("s03"),
                        toC.header("webhook-id"),
                        toC.header("webhook-timestamp"),
                        toC.body(),
                        toC.header("webhook-signature"),
                        Instant.now().getEpochSecond()))
                .as("C's message signed with C's secret")
                .isTrue();
        assertThat(counts.completionTasks(teamId))
                .containsExactly(
                        teamId + ":trade_settlement s01/c01 HTTP " + successA.url(),
                        teamId + ":trade_settlement:3:s02:c02 s02/c02 HTTP " + successB.url(),
                        teamId + ":trade_settlement:3:s03:c03 s03/c03 MQ topic.team_success");
        await(() -> delivered(teamId) == 3);

        // The mall repeats its notice: answered as the first, nothing more owed, nobody told twice.
        assertThat(settle("s01", "c01", u("a1")).path("code").asText()).isEqualTo("0000");
        assertThat(counts.completionTasks(teamId)).hasSize(3);
        assertThat(successA.received()).hasSize(1);
        assertThat(successB.received()).hasSize(1);
        assertThat(mallC.forTeam(teamId)).hasSize(1);
    }

    /**
     * B is down when the team completes: its callback is a task like any other, retried by the compensation run (the
     * job's drain) and delivered there, still only B's members, still signed with B's secret.
     */
    @Test
    void anotherPartnersCallbackMissedAtCompletionIsDeliveredByTheCompensationRun() throws Exception {
        lockOk("s02", "c02", u("b0"), "");
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        plantMember(teamId, "s02", "c02", u("b1"), 1, 1);
        plantMember(teamId, "s02", "c02", u("b2"), 1, 2);
        successB.refuseNext(1);

        assertThat(settle("s01", "c01", u("a1")).path("code").asText()).isEqualTo("0000");

        String keyB = teamId + ":trade_settlement:3:s02:c02";
        await(() -> successA.received().size() == 1 && taskStatus(keyB) == 2);
        assertThat(successB.received()).isEmpty();
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE task_key = ?",
                keyB);

        notifyService.deliverAllDue();

        await(() -> successB.received().size() == 1 && taskStatus(keyB) == 1);
        assertThat(successB.signedReceived().get(0).body()).isEqualTo(body(teamId, "b1", "b2"));
        assertSigned(successB.signedReceived().get(0), "s02");
        assertThat(successA.signedReceived().get(0).body()).isEqualTo(body(teamId, "a1"));
        assertThat(counts.completionTasks(teamId)).hasSize(2);
    }

    /** The payment that completes the team is another partner's buyer's: the same callbacks, A's still under A's key. */
    @Test
    void theLastPaymentBeingAnotherPartnersBuyersOwesTheSameCallbacks() throws Exception {
        lockOk("s02", "c02", u("b0"), "");
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        lockOk("s01", "c01", u("a2"), teamId);
        plantMember(teamId, "s02", "c02", u("b1"), 0, 1);
        assertThat(settle("s01", "c01", u("a1")).path("code").asText()).isEqualTo("0000");
        assertThat(settle("s01", "c01", u("a2")).path("code").asText()).isEqualTo("0000");
        assertThat(counts.completionTasks(teamId)).isEmpty();

        JsonNode settled = settle("s02", "c02", u("b1"));

        assertThat(settled.path("code").asText()).as(settled.toString()).isEqualTo("0000");
        await(() -> successA.received().size() == 1 && successB.received().size() == 1);
        assertThat(successA.signedReceived().get(0).body()).isEqualTo(body(teamId, "a1", "a2"));
        assertSigned(successA.signedReceived().get(0), "s01");
        assertThat(successB.signedReceived().get(0).body()).isEqualTo(body(teamId, "b1"));
        assertSigned(successB.signedReceived().get(0), "s02");
        assertThat(counts.completionTasks(teamId))
                .containsExactly(
                        teamId + ":trade_settlement s01/c01 HTTP " + successA.url(),
                        teamId + ":trade_settlement:3:s02:c02 s02/c02 HTTP " + successB.url());
        assertThat(mallC.forTeam(teamId)).isEmpty();
    }

    /** A team of one partner: one callback, its key and body as ever; no other partner's settings are read. */
    @Test
    void aTeamOfOnePartnerOwesExactlyTheOneCallbackItAlwaysDid() throws Exception {
        lockOk("s02", "c02", u("b0"), "");
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        lockOk("s01", "c01", u("a2"), teamId);
        lockOk("s01", "c01", u("a3"), teamId);
        for (String user : List.of("a1", "a2", "a3")) {
            assertThat(settle("s01", "c01", u(user)).path("code").asText()).isEqualTo("0000");
        }

        await(() -> successA.received().size() == 1);
        assertThat(successA.signedReceived().get(0).body()).isEqualTo(body(teamId, "a1", "a2", "a3"));
        assertThat(counts.completionTasks(teamId))
                .containsExactly(teamId + ":trade_settlement s01/c01 HTTP " + successA.url());
        await(() -> delivered(teamId) == 1);
        assertThat(successB.received()).isEmpty();
        assertThat(mallC.forTeam(teamId)).isEmpty();
    }

    // --- helpers

    private static void assertSigned(PartnerReceiver.Signed callback, String source) {
        assertThat(WebhookSignature.verify(
                        SECRETS.get(source),
                        callback.webhookId(),
                        callback.webhookTimestamp(),
                        callback.body(),
                        callback.webhookSignature(),
                        Instant.now().getEpochSecond()))
                .as("signed with " + source + "'s secret")
                .isTrue();
        SECRETS.forEach((other, secret) -> {
            if (!other.equals(source)) {
                assertThat(WebhookSignature.verify(
                                secret,
                                callback.webhookId(),
                                callback.webhookTimestamp(),
                                callback.body(),
                                callback.webhookSignature(),
                                Instant.now().getEpochSecond()))
                        .as("not signed with " + other + "'s secret")
                        .isFalse();
            }
        });
    }

    private String body(String teamId, String... users) {
        StringBuilder list = new StringBuilder();
        for (String user : users) {
            list.append(list.isEmpty() ? "" : ",")
                    .append("\"out-")
                    .append(u(user))
                    .append('"');
        }
        return "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[" + list + "]}";
    }

    private int taskStatus(String taskKey) {
        List<Integer> status =
                jdbc.queryForList("SELECT notify_status FROM notify_task WHERE task_key = ?", Integer.class, taskKey);
        return status.isEmpty() ? -1 : status.get(0);
    }

    private int delivered(String teamId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement' "
                        + "AND notify_status = 1",
                Integer.class,
                teamId);
    }

    private void mapGoodsFor(String source, String channel) {
        new MarketConfigFixture(jdbc).soldThrough(source, channel, goodsId, activityId);
    }

    /**
     * A member of another partner in the team, as a lock before the ownership rule wrote it: the order row and the
     * team's counts (paid: both), no Redis hold (the legacy lock's was given back long ago).
     */
    private void plantMember(String teamId, String source, String channel, String userId, int status, int n) {
        Instant now = Instant.now();
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no, "
                        + "out_trade_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 100, 20, 80, ?, ?, ?)",
                userId,
                teamId,
                String.format("%d%011d", 8 - n, activityId),
                activityId,
                Timestamp.from(now),
                Timestamp.from(now.plusSeconds(3600)),
                goodsId,
                source,
                channel,
                status,
                "out-" + userId,
                status == 1 ? Timestamp.from(now) : null);
        jdbc.update(
                "UPDATE group_buy_order SET lock_count = lock_count + 1, complete_count = complete_count + ? "
                        + "WHERE team_id = ?",
                status == 1 ? 1 : 0,
                teamId);
    }

    private String notifyConfig(String source) {
        return switch (source) {
            case "s01" -> "{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + successA.url() + "\"}";
            case "s02" -> "{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + successB.url() + "\"}";
            default -> "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}";
        };
    }

    private JsonNode lockOk(String source, String channel, String userId, String teamId) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"outTradeNo\":\"out-" + userId + "\",\"notifyConfigVO\":" + notifyConfig(source)
                        + "}");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data");
    }

    private JsonNode settle(String source, String channel, String userId) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + userId
                        + "\",\"outTradeNo\":\"out-" + userId + "\",\"outTradeTime\":\"" + TradeClient.now() + "\"}");
    }

    /** A user id of this test's own (order keys are unique per partner, and tests share the class's database). */
    private String u(String name) {
        return name + "x" + activityId;
    }
}
