package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole story at the largest team there may be ({@link ActivityVO#MAX_TARGET} members), on the real servers: a team
 * whose members are of three partners (A and B told over HTTP by real receivers, C on the shared MQ exchange by a real
 * queue; a team mixed before teams were kept to their partner, planted with multi-row SQL as {@link BigTeamExpiryIT}
 * does), its last place paid over the real HTTP endpoint, signed as partners sign. Each trade number is 32 characters,
 * 25 of them three bytes in UTF-8: the team's callbacks together are ~0.85 MB. The team completes once; every partner
 * gets exactly one callback, signed with its secret, listing exactly its own paid members, byte for byte the body the
 * outbox holds; nothing is left undelivered; the mall's repeated notice answers 0000 and nobody is told twice. Then a
 * backlog: three teams of {@link ActivityVO#MAX_TARGET} of MQ partner C complete while every publish fails (a broker
 * that refuses, as {@code MqBatchIT} makes it); the compensation run (the real service, one lane, pages of at most
 * 1,200 KB of bodies, {@code gbm.notify.page-bytes}) delivers each ~0.85 MB body whole and once, one page each.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.trade.signature.required-for=s01:c01,s02:c02,s03:c03",
            "gbm.notify.secrets.s02.c02=" + BigTeamCompletionIT.SECRET_B,
            "gbm.notify.secrets.s03.c03=" + BigTeamCompletionIT.SECRET_C,
            "gbm.notify.page-bytes=1200KB",
            "gbm.notify.run-lanes=1",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class BigTeamCompletionIT {

    static final String SECRET_B = "bige2e_secret_b";
    static final String SECRET_C = "bige2e_secret_c";
    private static final Map<String, String> SECRETS = Map.of("s01", "test_secret", "s02", SECRET_B, "s03", SECRET_C);
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String MQ = "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}";
    private static final int MEMBERS = ActivityVO.MAX_TARGET;
    private static final AtomicInteger ACTIVITY = new AtomicInteger(16_870);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    RabbitTemplate notifyRabbitTemplate;

    private PartnerReceiver partnerA;
    private PartnerReceiver partnerB;
    private MallQueue mallC;

    @BeforeEach
    void partners() throws Exception {
        partnerA = new PartnerReceiver();
        partnerB = new PartnerReceiver();
        mallC = new MallQueue("topic.team_success");
    }

    @AfterEach
    void closePartners() throws Exception {
        notifyRabbitTemplate.setBeforePublishPostProcessors();
        partnerA.close();
        partnerB.close();
        mallC.close();
    }

    @Test
    void aFullTeamOfThreePartnersCompletesOnceAndEachPartnerIsToldOnceWithAllItsMembers() throws Exception {
        long started = System.nanoTime();
        Goods goods = goods();
        // B and C opened teams of their own in the activity: their locks named their targets.
        lock(goods, "s02", "c02", "b0", "");
        lock(goods, "s03", "c03", "c0", "");
        String teamId = lock(goods, "s01", "c01", "a1", "");
        lock(goods, "s01", "c01", "a2", teamId);
        // Half A's, a quarter B's, a quarter C's.
        fill(teamId, goods, "a1", "ELT(1 + seq MOD 4, 's01', 's01', 's02', 's03')");
        assertThat(settle(goods, "s01", "c01", "a1").path("code").asText()).isEqualTo("0000");
        long filled = System.nanoTime();

        JsonNode last = settle(goods, "s01", "c01", "a2");

        assertThat(last.path("code").asText()).as(last.toString()).isEqualTo("0000");
        assertThat(counts.team(teamId)).containsEntry("status", 1).containsEntry("complete_count", MEMBERS);
        await(() -> partnerA.received().size() == 1
                && partnerB.received().size() == 1
                && mallC.forTeam(teamId).size() == 1);
        long told = System.nanoTime();
        assertThat(counts.completionTasks(teamId))
                .containsExactly(
                        teamId + ":trade_settlement s01/c01 HTTP " + partnerA.url(),
                        teamId + ":trade_settlement:3:s02:c02 s02/c02 HTTP " + partnerB.url(),
                        teamId + ":trade_settlement:3:s03:c03 s03/c03 MQ topic.team_success");
        PartnerReceiver.Signed toA = partnerA.signedReceived().get(0);
        PartnerReceiver.Signed toB = partnerB.signedReceived().get(0);
        MallQueue.Received toC = mallC.forTeam(teamId).get(0);
        assertToldItsOwn(teamId, "s01", toA.body(), toA.webhookId(), toA.webhookTimestamp(), toA.webhookSignature());
        assertToldItsOwn(teamId, "s02", toB.body(), toB.webhookId(), toB.webhookTimestamp(), toB.webhookSignature());
        assertToldItsOwn(
                teamId,
                "s03",
                toC.body(),
                toC.header("webhook-id"),
                toC.header("webhook-timestamp"),
                toC.header("webhook-signature"));
        assertThat(listed(toA.body()).size()
                        + listed(toB.body()).size()
                        + listed(toC.body()).size())
                .as("every member listed, each once")
                .isEqualTo(MEMBERS);
        await(() -> undelivered(List.of(teamId)) == 0);

        // The mall repeats its last notice (signed anew, as a partner does): answered as the first, nobody told twice.
        assertThat(settle(goods, "s01", "c01", "a2").path("code").asText()).isEqualTo("0000");
        assertThat(counts.completionTasks(teamId)).hasSize(3);
        assertThat(undelivered(List.of(teamId))).isZero();
        assertThat(counts.team(teamId)).containsEntry("status", 1).containsEntry("complete_count", MEMBERS);
        assertThat(partnerA.received()).hasSize(1);
        assertThat(partnerB.received()).hasSize(1);
        assertThat(mallC.forTeam(teamId)).hasSize(1);
        System.out.printf(
                "BIG TEAM COMPLETION members=%d fill_ms=%d completion_to_told_ms=%d bytes=%d%n",
                MEMBERS,
                (filled - started) / 1_000_000,
                (told - filled) / 1_000_000,
                toA.body().getBytes(StandardCharsets.UTF_8).length
                        + toB.body().getBytes(StandardCharsets.UTF_8).length
                        + toC.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aBacklogOfBigCompletionsIsDeliveredByTheCompensationRunEachWholeOnceOnAPageOfItsOwn() throws Exception {
        long started = System.nanoTime();
        notifyRabbitTemplate.setBeforePublishPostProcessors(message -> {
            throw new AmqpException("test: the broker refuses every publish");
        });
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Goods goods = goods();
            String teamId = lock(goods, "s03", "c03", "k" + i + "a", "", MQ);
            lock(goods, "s03", "c03", "k" + i + "b", teamId, MQ);
            fill(teamId, goods, "k" + i + "a", "'s03'");
            assertThat(settle(goods, "s03", "c03", "k" + i + "a").path("code").asText())
                    .isEqualTo("0000");
            assertThat(settle(goods, "s03", "c03", "k" + i + "b").path("code").asText())
                    .isEqualTo("0000");
            teams.add(teamId);
        }
        // Each completion's own delivery was tried at once and failed: three ~0.85 MB bodies owed.
        await(() -> retried(teams) == teams.size());
        notifyRabbitTemplate.setBeforePublishPostProcessors();
        jdbc.update("UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND "
                + "WHERE notify_status = 2");
        long owed = System.nanoTime();

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.delivered()).isEqualTo(teams.size());
        assertThat(undelivered(teams)).isZero();
        await(() -> teams.stream().allMatch(t -> mallC.forTeam(t).size() == 1));
        for (String teamId : teams) {
            MallQueue.Received message = mallC.forTeam(teamId).get(0);
            assertThat(listed(message.body())).hasSize(MEMBERS);
            assertToldItsOwn(
                    teamId,
                    "s03",
                    message.body(),
                    message.header("webhook-id"),
                    message.header("webhook-timestamp"),
                    message.header("webhook-signature"));
        }
        // One lane, pages one after the other; two bodies are more than a page's 1,200 KB: a page each, and every
        // attempt of one page carries that page's start.
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT a.attempt_time) FROM notify_attempt a JOIN notify_task t "
                                + "ON t.id = a.task_id WHERE a.success = 1 AND t.team_id IN (?, ?, ?)",
                        Integer.class,
                        teams.toArray()))
                .as("a page of its own for each body")
                .isEqualTo(teams.size());
        System.out.printf(
                "BIG TEAM BACKLOG teams=%d members=%d setup_ms=%d drain_ms=%d%n",
                teams.size(), MEMBERS, (owed - started) / 1_000_000, (System.nanoTime() - owed) / 1_000_000);
    }

    // --- helpers

    private record Goods(long activityId, String goodsId) {}

    /** Fresh goods of an activity whose teams are of {@link #MEMBERS}, sold by A, B and C. */
    private Goods goods() {
        long activityId = ACTIVITY.incrementAndGet();
        String goodsId = "g" + activityId;
        MarketConfigFixture fixture = new MarketConfigFixture(jdbc);
        fixture.goods(goodsId, activityId, "ZJ", "20", "100.00");
        fixture.soldThrough("s02", "c02", goodsId, activityId);
        fixture.soldThrough("s03", "c03", goodsId, activityId);
        jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", MEMBERS, activityId);
        return new Goods(activityId, goodsId);
    }

    /**
     * The team's other members, paid, as their rows (one multi-row INSERT): each of partner {@code sourceSql} (an SQL
     * expression of {@code seq}), its trade number 32 characters (25 of three bytes); the team's counts to match: all
     * paid but the last of the two locked over HTTP.
     */
    private void fill(String teamId, Goods goods, String firstUser, String sourceSql) {
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no,"
                        + " out_trade_time) "
                        + "SELECT CONCAT(?, seq), l.team_id, CONCAT(?, LPAD(seq, 7, '0')), l.activity_id, l.start_time,"
                        + " l.end_time, l.goods_id, " + sourceSql + ", REPLACE(" + sourceSql + ", 's', 'c'),"
                        + " l.original_price, l.deduction_price, l.pay_price, 1,"
                        + " CONCAT('t', LPAD(seq, 6, '0'), REPEAT('团', 25)), NOW(3) "
                        + "FROM group_buy_order_list l JOIN seq_1_to_" + (MEMBERS - 2)
                        + " WHERE l.team_id = ? AND l.user_id = ?",
                "m" + goods.activityId() + "-",
                goods.activityId() % 10_000 + "8",
                teamId,
                u(goods, firstUser));
        jdbc.update(
                "UPDATE group_buy_order SET lock_count = ?, complete_count = ? WHERE team_id = ?",
                MEMBERS,
                MEMBERS - 2,
                teamId);
    }

    /**
     * The body is whole JSON of this team listing exactly the partner's paid members, byte for byte what the outbox
     * holds, and signed with the partner's secret (and no other's).
     */
    private void assertToldItsOwn(
            String teamId, String source, String body, String id, String timestamp, String signature) throws Exception {
        JsonNode parsed = TestJson.JSON.readTree(body);
        assertThat(TestJson.fields(parsed)).containsExactly("teamId", "outTradeNoList");
        assertThat(parsed.path("teamId").asText()).isEqualTo(teamId);
        List<String> own = jdbc.queryForList(
                "SELECT out_trade_no FROM group_buy_order_list WHERE team_id = ? AND source = ? AND status = 1",
                String.class,
                teamId,
                source);
        List<String> listed = listed(body);
        assertThat(new HashSet<>(listed)).as(source + "'s members, each once").hasSize(listed.size());
        assertThat(listed).as(source + "'s own paid members").containsExactlyInAnyOrderElementsOf(own);
        assertThat(body)
                .as("the outbox's body, whole")
                .isEqualTo(jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE team_id = ? AND source = ? "
                                + "AND notify_category = 'trade_settlement'",
                        String.class,
                        teamId,
                        source));
        long now = Instant.now().getEpochSecond();
        SECRETS.forEach(
                (partner, secret) -> assertThat(WebhookSignature.verify(secret, id, timestamp, body, signature, now))
                        .as(source + "'s callback signed with " + partner + "'s secret")
                        .isEqualTo(partner.equals(source)));
    }

    private static List<String> listed(String body) throws Exception {
        List<String> numbers = new ArrayList<>();
        TestJson.JSON.readTree(body).path("outTradeNoList").forEach(n -> numbers.add(n.asText()));
        return numbers;
    }

    /** Tasks of these teams not (yet) delivered. */
    private int undelivered(List<String> teams) {
        return count("notify_status <> 1", teams);
    }

    /** Tasks of these teams waiting for a retry. */
    private int retried(List<String> teams) {
        return count("notify_status = 2", teams);
    }

    private int count(String condition, List<String> teams) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE " + condition + " AND team_id IN ("
                        + String.join(", ", teams.stream().map(t -> "?").toList()) + ")",
                Integer.class,
                teams.toArray());
    }

    private String lock(Goods goods, String source, String channel, String user, String teamId) throws Exception {
        String config = switch (source) {
            case "s01" -> "{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + partnerA.url() + "\"}";
            case "s02" -> "{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + partnerB.url() + "\"}";
            default -> MQ;
        };
        return lock(goods, source, channel, user, teamId, config);
    }

    private String lock(Goods goods, String source, String channel, String user, String teamId, String config)
            throws Exception {
        JsonNode answer = signed(
                source,
                LOCK,
                "{\"userId\":\"" + u(goods, user) + "\",\"teamId\":\"" + teamId + "\",\"activityId\":"
                        + goods.activityId() + ",\"goodsId\":\"" + goods.goodsId() + "\",\"source\":\"" + source
                        + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":\"out-" + u(goods, user)
                        + "\",\"notifyConfigVO\":" + config + "}");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data").path("teamId").asText();
    }

    private JsonNode settle(Goods goods, String source, String channel, String user) throws Exception {
        return signed(
                source,
                TradeClient.SETTLEMENT,
                "{\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"userId\":\"" + u(goods, user)
                        + "\",\"outTradeNo\":\"out-" + u(goods, user) + "\",\"outTradeTime\":\"" + TradeClient.now()
                        + "\"}");
    }

    /** POSTs the request signed as the partner signs (Standard Webhooks headers, a fresh id); the envelope checked. */
    private JsonNode signed(String source, String path, String body) throws Exception {
        HttpResponse<String> answer =
                TestJson.post(port, path, body, TestJson.signedHeaders(SECRETS.get(source), body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode envelope = TestJson.JSON.readTree(answer.body());
        assertThat(TestJson.fields(envelope)).containsExactly("code", "info", "data");
        return envelope;
    }

    /** A user id of this activity's own (orders are unique per partner, and the class's tests share a database). */
    private static String u(Goods goods, String name) {
        return name + "x" + goods.activityId();
    }
}
