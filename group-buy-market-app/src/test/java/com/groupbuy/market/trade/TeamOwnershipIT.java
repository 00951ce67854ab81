package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.lock.TradeLockService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.exception.AppException;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A team belongs to the partner that opened it (#12, team ownership), over real HTTP, MariaDB, Redis and callback
 * receivers. Partners s01/c01 (A) and s02/c02 (B) both map the same goods to the same activity: B's lock naming A's
 * team answers exactly as a team id no team has ({@code E0205}) and writes nothing, takes no Redis place; A's own
 * buyers still join; B's trial neither lists nor counts A's teams. A team already mixed before this rule (B's member
 * planted with SQL as legacy data) tells B's member's refund to B, never to A, and its completion callback to A lists
 * only A's trade numbers (B's own completion callback: {@link MixedTeamCompletionIT}). Group commit of locks is on here (the default); {@link TeamOwnershipWrittenAloneIT} runs the
 * same with it off.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.timeout.unpaid-timeout=5m", "gbm.timeout.expiry-grace=60s"})
class TeamOwnershipIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(19000);
    /**
     * The refund URLs A and B subscribed (gbm.notify.refund-urls). Not closed after the class: the subclass's context
     * uses them too (they end with the JVM); each test reads only its own team's callbacks.
     */
    private static final PartnerReceiver REFUNDS_A = PartnerReceiver.startOrFail();

    private static final PartnerReceiver REFUNDS_B = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void partners(DynamicPropertyRegistry registry) {
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS_A::url);
        registry.add("gbm.notify.refund-urls.s02.c02", REFUNDS_B::url);
        registry.add("gbm.notify.secrets.s02.c02", () -> "test_secret_b");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeLockService lockService;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    ObjectProvider<LockGroupCommit> groupCommit;

    @Value("${gbm.redis.key-prefix}")
    String redisPrefix;

    /** A's team-success endpoint (the notifyUrl of A's locks) and B's. */
    private PartnerReceiver successA;

    private PartnerReceiver successB;
    private long activityId;
    private String goodsId;

    /** Whether this class runs with group commit of locks (the default); the subclass turns it off. */
    boolean groupCommitExpected() {
        return true;
    }

    @BeforeEach
    void twoPartnersOneActivity() throws Exception {
        assertThat(groupCommit.getIfAvailable())
                .as("the group commit writer (gbm.lock.group-commit.enabled)")
                .matches(writer -> (writer != null) == groupCommitExpected());
        successA = new PartnerReceiver();
        successB = new PartnerReceiver();
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
        mapGoodsFor("s02", "c02");
    }

    @AfterEach
    void closePartners() {
        successA.close();
        successB.close();
    }

    // --- the lock

    @Test
    void anotherPartnersTeamIsAnsweredAsATeamThatDoesNotExistAndNothingIsWritten() throws Exception {
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        Snapshot before = snapshot(teamId);

        HttpResponse<String> foreign = lockRaw("s02", "c02", u("b1"), teamId);
        HttpResponse<String> unknown = lockRaw("s02", "c02", u("b1"), "99999999");

        assertThat(foreign.statusCode()).isEqualTo(unknown.statusCode());
        assertThat(foreign.body())
                .as("another partner's team answers byte for byte as a team id no team has")
                .isEqualTo(unknown.body());
        JsonNode answer = TestJson.JSON.readTree(foreign.body());
        assertThat(answer.path("code").asText()).isEqualTo("E0205");
        assertThat(TestJson.fields(answer)).containsExactly("code", "info", "data");
        assertThat(snapshot(teamId)).isEqualTo(before);
    }

    /** Exact comparison: a source differing only in case, or a channel with a trailing space, is another partner. */
    @Test
    void aPartnerDifferingOnlyInCaseOrATrailingSpaceIsAnotherPartner() throws Exception {
        mapGoodsFor("S01", "c01");
        mapGoodsFor("s01", "c01 ");
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        Snapshot before = snapshot(teamId);

        JsonNode upper = lock("S01", "c01", u("x1"), teamId);
        // A trailing space tried on the use case directly (a spaced team id is too long over HTTP).
        assertThatThrownBy(() -> lockService.lock(LockOrderCommand.builder()
                        .source("s01")
                        .channel("c01 ")
                        .userId(u("x2"))
                        .teamId(teamId)
                        .activityId(activityId)
                        .goodsId(goodsId)
                        .outTradeNo("out-" + u("x2"))
                        .notifyType("HTTP")
                        .notifyUrl(successA.url())
                        .build()))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo("E0205"));

        assertThat(upper.path("code").asText()).isEqualTo("E0205");
        assertThat(snapshot(teamId)).isEqualTo(before);
    }

    @Test
    void theTeamsOwnPartnerStillJoinsIt() throws Exception {
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();

        JsonNode joined = lockOk("s01", "c01", u("a2"), teamId);

        assertThat(joined.path("teamId").asText()).isEqualTo(teamId);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(lockOk("s02", "c02", u("b1"), "").path("teamId").asText())
                .as("B opens a team of its own")
                .isNotEqualTo(teamId);
    }

    // --- the trial

    @Test
    void theTrialOffersAndCountsOnlyTheCallersPartnersTeams() throws Exception {
        String teamA = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        // The same user id at B: A's team is not B's user's "own" team, and A's trade number is never shown to B.
        JsonNode forB = trial("s02", "c02", u("a1"));
        JsonNode forOtherB = trial("s02", "c02", u("b9"));
        JsonNode forA = trial("s01", "c01", u("a9"));

        assertThat(forB.path("teamList")).isEmpty();
        assertThat(forOtherB.path("teamList")).isEmpty();
        assertThat(forB.path("teamStatistic").path("allTeamCount").asInt()).isZero();
        assertThat(forB.path("teamStatistic").path("allTeamUserCount").asInt()).isZero();
        assertThat(forA.path("teamList")).hasSize(1);
        assertThat(forA.path("teamList").get(0).path("teamId").asText()).isEqualTo(teamA);
        assertThat(forA.path("teamStatistic").path("allTeamCount").asInt()).isEqualTo(1);
        assertThat(forA.path("teamStatistic").path("allTeamUserCount").asInt()).isEqualTo(1);

        String teamB = lockOk("s02", "c02", u("b1"), "").path("teamId").asText();
        JsonNode forBAgain = trial("s02", "c02", u("b9"));
        assertThat(forBAgain.path("teamList")).hasSize(1);
        assertThat(forBAgain.path("teamList").get(0).path("teamId").asText()).isEqualTo(teamB);
        assertThat(forBAgain.path("teamStatistic").path("allTeamCount").asInt()).isEqualTo(1);
        JsonNode ownA = trial("s01", "c01", u("a1"));
        assertThat(ownA.path("teamList").get(0).path("teamId").asText())
                .as("A's own team first, with A's trade number")
                .isEqualTo(teamA);
        assertThat(ownA.path("teamList").get(0).path("outTradeNo").asText()).isEqualTo("out-" + u("a1"));
        assertThat(ownA.path("teamList")).hasSize(1);
    }

    // --- teams already mixed before the rule (legacy data)

    @Test
    void aMixedTeamsExpiryTellsEachMembersRefundToItsOwnPartner() throws Exception {
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        assertThat(settle("s01", "c01", u("a1")).path("code").asText()).isEqualTo("0000");
        plantMember(teamId, "s02", "c02", u("b1"), 1);
        teamEndedSecondsAgo(teamId, 120);

        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();

        assertThat(run.expiredTeams()).isEqualTo(1);
        assertThat(counts.team(teamId)).containsEntry("status", 2);
        await(() -> refunds(REFUNDS_B, teamId, u("b1")).size() == 1
                && refunds(REFUNDS_A, teamId, u("a1")).size() == 1);
        JsonNode toB = refunds(REFUNDS_B, teamId, u("b1")).get(0);
        assertThat(toB.path("type").asText()).isEqualTo("paid_unformed");
        assertThat(toB.path("teamId").asText()).isEqualTo(teamId);
        assertThat(TestJson.fields(toB))
                .containsExactly("type", "userId", "teamId", "activityId", "orderId", "outTradeNo");
        assertThat(refunds(REFUNDS_A, teamId, u("b1")))
                .as("B's buyer is not A's to see")
                .isEmpty();
        assertThat(refunds(REFUNDS_B, teamId, u("a1"))).isEmpty();
        assertThat(refunds(REFUNDS_A, teamId, u("a1")).get(0).path("type").asText())
                .isEqualTo("paid_unformed");
        assertThat(jdbc.queryForList(
                        "SELECT CONCAT(source, '/', channel) FROM notify_task WHERE team_id = ? "
                                + "AND notify_category = 'trade_paid2refund' AND parameter_json LIKE ?",
                        String.class,
                        teamId,
                        "%\"out-" + u("b1") + "\"%"))
                .as("B's member's refunds (its refund URL and the refund event) are B's, signed with B's secret")
                .isNotEmpty()
                .containsOnly("s02/c02");
        assertThat(successA.received()).as("nothing at A's team-success URL").isEmpty();
    }

    @Test
    void aLegacyMemberOfAnotherPartnerRefundingItsOwnOrderIsToldAtItsOwnRefundUrl() throws Exception {
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        plantMember(teamId, "s02", "c02", u("b1"), 0);

        JsonNode refund = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + u("b1") + "\",\"outTradeNo\":\"out-" + u("b1")
                        + "\",\"source\":\"s02\",\"channel\":\"c02\"}");

        assertThat(refund.path("data").path("code").asText())
                .as(refund.toString())
                .isEqualTo("success");
        await(() -> refunds(REFUNDS_B, teamId, u("b1")).size() == 1);
        assertThat(refunds(REFUNDS_B, teamId, u("b1")).get(0).path("type").asText())
                .isEqualTo("unpaid_unlock");
        assertThat(refunds(REFUNDS_A, teamId, u("b1")))
                .as("B's buyer is not A's to see")
                .isEmpty();
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
    }

    @Test
    void aMixedTeamIsShownInTheTrialUnderItsOwnPartnersMemberNeverAnotherPartnersUserId() throws Exception {
        // A's leader, then B's legacy member (an earlier row than A's second member), then the leader leaves: the
        // first live member row is B's user. A's trial must not show B's user id (nor B's trade number).
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        plantMember(teamId, "s02", "c02", u("b1"), 0);
        lockOk("s01", "c01", u("a2"), teamId);
        JsonNode refund = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + u("a1") + "\",\"outTradeNo\":\"out-" + u("a1")
                        + "\",\"source\":\"s01\",\"channel\":\"c01\"}");
        assertThat(refund.path("data").path("code").asText())
                .as(refund.toString())
                .isEqualTo("success");

        JsonNode forA = trial("s01", "c01", u("a9"));

        assertThat(forA.path("teamList")).hasSize(1);
        JsonNode shown = forA.path("teamList").get(0);
        assertThat(shown.path("teamId").asText()).isEqualTo(teamId);
        assertThat(shown.path("userId").asText())
                .as("shown under A's member still in it, never B's buyer")
                .isEqualTo(u("a2"));
        assertThat(forA.toString()).doesNotContain(u("b1"));
    }

    @Test
    void aMixedTeamsCompletionCallbackListsOnlyTheTeamPartnersTradeNumbers() throws Exception {
        String teamId = lockOk("s01", "c01", u("a1"), "").path("teamId").asText();
        plantMember(teamId, "s02", "c02", u("b1"), 1);
        lockOk("s01", "c01", u("a2"), teamId);

        assertThat(settle("s01", "c01", u("a1")).path("code").asText()).isEqualTo("0000");
        assertThat(settle("s01", "c01", u("a2")).path("code").asText()).isEqualTo("0000");

        assertThat(counts.team(teamId)).containsEntry("status", 1).containsEntry("complete_count", 3);
        await(() -> successA.received().size() == 1);
        JsonNode callback = successA.received().get(0);
        assertThat(callback.toString())
                .as("the body keeps its exact shape {teamId, outTradeNoList}, only A's numbers")
                .isEqualTo("{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"out-" + u("a1") + "\",\"out-" + u("a2")
                        + "\"]}");
        // B never opened a team of its own in the activity: no target of B's is known, so B is not told (logged);
        // MixedTeamCompletionIT shows B told at its own target when it did.
        assertThat(successB.received()).isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                        Integer.class,
                        teamId))
                .isEqualTo(1);
    }

    // --- helpers

    /** What a refused lock must leave as it was: rows, the team's count, its Redis place counter, Redis keys, tasks. */
    private record Snapshot(
            int orders,
            Map<String, Object> team,
            int redisPlaces,
            long redisKeys,
            int tasks,
            int otherPartnersOrders) {}

    private Snapshot snapshot(String teamId) {
        return new Snapshot(
                jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ?", Integer.class, activityId),
                counts.team(teamId),
                counts.redisPlaces(teamId),
                StreamSupport.stream(
                                redisson.getKeys()
                                        .getKeysByPattern(redisPrefix + "*")
                                        .spliterator(),
                                false)
                        .count(),
                jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE activity_id = ?", Integer.class, activityId),
                jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list WHERE source <> 's01'", Integer.class));
    }

    private void mapGoodsFor(String source, String channel) {
        new MarketConfigFixture(jdbc).soldThrough(source, channel, goodsId, activityId);
    }

    /**
     * A member of another partner in the team, as a lock before the ownership rule wrote it: the order row and the
     * team's counts (paid: both), no Redis hold (the legacy lock's was given back long ago).
     */
    private void plantMember(String teamId, String source, String channel, String userId, int status) {
        Instant now = Instant.now();
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no, "
                        + "out_trade_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 100, 20, 80, ?, ?, ?)",
                userId,
                teamId,
                String.format("9%011d", activityId),
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

    private void teamEndedSecondsAgo(String teamId, int seconds) {
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL ? SECOND WHERE team_id = ?",
                seconds,
                teamId);
    }

    private String notifyUrl(String source) {
        return "s01".equals(source) ? successA.url() : successB.url();
    }

    private HttpResponse<String> lockRaw(String source, String channel, String userId, String teamId) throws Exception {
        return TestJson.post(
                port,
                LOCK,
                "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"outTradeNo\":\"out-" + userId + "\",\"notifyUrl\":\"" + notifyUrl(source) + "\"}");
    }

    private JsonNode lock(String source, String channel, String userId, String teamId) throws Exception {
        HttpResponse<String> response = lockRaw(source, channel, userId, teamId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestJson.JSON.readTree(response.body());
    }

    private JsonNode lockOk(String source, String channel, String userId, String teamId) throws Exception {
        JsonNode answer = lock(source, channel, userId, teamId);
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

    private JsonNode trial(String source, String channel, String userId) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                TRIAL,
                "{\"userId\":\"" + userId + "\",\"source\":\"" + source + "\",\"channel\":\"" + channel
                        + "\",\"goodsId\":\"" + goodsId + "\"}");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data");
    }

    /** A user id of this test's own (order keys are unique per partner, and tests share the class's database). */
    private String u(String name) {
        return name + "x" + activityId;
    }

    /** The refund callbacks a receiver got for the user's order in this team (receivers outlive a test). */
    private static List<JsonNode> refunds(PartnerReceiver receiver, String teamId, String userId) {
        return receiver.callbacksFor("out-" + userId).stream()
                .filter(b -> teamId.equals(b.path("teamId").asText()))
                .toList();
    }
}
