package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Settlement over real HTTP, MariaDB and Redis, with the partner played by a real HTTP server (MockWebServer):
 * the last payment completes the team, writes exactly one task, and the callback arrives signed.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.settlement.blacklist=s02:c02", "gbm.notify.read-timeout=1s"})
class SettlementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ACTIVITY = new AtomicInteger(5000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ISettlementRepository settlements;

    @Autowired
    NotifyRoutes routes;

    @Autowired
    DueCallbackDeliveryService deliveries;

    private MockWebServer partner;
    private long activityId;
    private String goodsId;

    @BeforeEach
    void setUp() throws Exception {
        partner = new MockWebServer();
        partner.start();
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void threeLocksAndThreeSettlementsMakeExactlyOneSignedCallbackWithAllOutTradeNumbers() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = fullTeam("a", "b", "c");

        JsonNode first = settle("a", "out-a", now());
        settle("b", "out-b", now());
        JsonNode last = settle("c", "out-c", Long.toString(System.currentTimeMillis()));

        assertThat(first.path("code").asText()).isEqualTo("0000");
        assertThat(fields(first.path("data")))
                .containsExactlyInAnyOrder("userId", "teamId", "activityId", "outTradeNo");
        assertThat(first.path("data").path("teamId").asText()).isEqualTo(teamId);
        assertThat(first.path("data").path("activityId").asLong()).isEqualTo(activityId);
        assertThat(last.path("code").asText()).isEqualTo("0000");

        RecordedRequest callback = partner.takeRequest(10, TimeUnit.SECONDS);
        assertThat(callback).isNotNull();
        JsonNode body = JSON.readTree(callback.getBody().utf8());
        assertThat(body.path("teamId").asText()).isEqualTo(teamId);
        List<String> outTradeNos = new ArrayList<>();
        body.path("outTradeNoList").forEach(n -> outTradeNos.add(n.asText()));
        assertThat(outTradeNos).containsExactlyInAnyOrder("out-a", "out-b", "out-c");
        assertThat(callback.getHeaders().get("Content-Type")).startsWith("application/json");
        assertSignedWithTestSecret(callback);

        await(() -> taskStatus(teamId) == 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(1);
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ? AND a.success = 1 AND a.http_status = 200",
                        Integer.class,
                        teamId))
                .isEqualTo(1);
        assertThat(partner.getRequestCount()).isEqualTo(1);
    }

    @Test
    void repeatedSettlementAnswersTheSameAndChangesNothing() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        String teamId = fullTeam("r1", "r2", "r3");
        settle("r1", "out-r1", now());
        settle("r2", "out-r2", now());
        JsonNode first = settle("r3", "out-r3", now());

        JsonNode again = settle("r3", "out-r3", now());
        JsonNode againEarlier = settle("r1", "out-r1", now());

        assertThat(again).isEqualTo(first);
        assertThat(againEarlier.path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(1);
    }

    @Test
    void bothTimeShapesAreAcceptedAndOutsideTheWindowIsRefusedLeavingTheOrderLocked() throws Exception {
        fullTeam("t1", "t2", "t3");
        String lateString = LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                .plusHours(2)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        long earlyMillis = Instant.now().minus(1, ChronoUnit.HOURS).toEpochMilli();

        JsonNode byString = settle("t1", "out-t1", now());
        JsonNode byMillis = post(
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s01\",\"channel\":\"c01\","
                        + "\"userId\":\"t2\",\"outTradeNo\":\"out-t2\",\"outTradeTime\":" + System.currentTimeMillis()
                        + "}");
        JsonNode late = settle("t3", "out-t3", lateString);
        JsonNode early = settle("t3", "out-t3", Long.toString(earlyMillis));
        JsonNode garbage = settle("t3", "out-t3", "yesterday");

        assertThat(byString.path("code").asText()).isEqualTo("0000");
        assertThat(byMillis.path("code").asText()).isEqualTo("0000");
        assertThat(late.path("code").asText()).isEqualTo("E0106");
        assertThat(early.path("code").asText()).isEqualTo("E0106");
        assertThat(garbage.path("code").asText()).isEqualTo("0002");
        assertThat(garbage.path("info").asText()).contains("outTradeTime");
        assertThat(orderStatus("t3", "out-t3")).isZero();
    }

    @Test
    void refusedSourceChannelAndUnknownOrderHaveTheirCodes() throws Exception {
        fullTeam("s1", "s2", "s3");

        JsonNode blacklisted = post(
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s02\",\"channel\":\"c02\","
                        + "\"userId\":\"s1\",\"outTradeNo\":\"out-s1\",\"outTradeTime\":\"" + now() + "\"}");
        JsonNode unknown = settle("s1", "no-such-out", now());
        JsonNode missingUser = post(
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s01\",\"channel\":\"c01\"," + "\"outTradeNo\":\"out-s1\",\"outTradeTime\":\"" + now()
                        + "\"}");

        assertThat(blacklisted.path("code").asText()).isEqualTo("E0105");
        assertThat(unknown.path("code").asText()).isEqualTo("E0104");
        assertThat(missingUser.path("code").asText()).isEqualTo("0002");
        assertThat(orderStatus("s1", "out-s1")).isZero();
    }

    @Test
    void partnerAnswering500ErrorOrNothingLeavesTheTaskToRetryWithTheNextTimeSet() throws Exception {
        partner.enqueue(new MockResponse.Builder().code(500).body("oops").build());
        String failing500 = completedTeam("f1");
        await(() -> attempts(failing500) == 1);

        partner.enqueue(new MockResponse.Builder().code(200).body("error").build());
        String answeringError = completedTeam("e1");
        await(() -> attempts(answeringError) == 1);

        partner.enqueue(new MockResponse.Builder()
                .code(200)
                .body("success")
                .headersDelay(3, TimeUnit.SECONDS)
                .build());
        String timingOut = completedTeam("o1");
        await(() -> attempts(timingOut) == 1);

        for (String teamId : List.of(failing500, answeringError, timingOut)) {
            Map<String, Object> task = jdbc.queryForMap(
                    "SELECT notify_status, notify_count, next_attempt_time, "
                            + "UTC_TIMESTAMP(3) AS db_now FROM notify_task WHERE team_id = ?",
                    teamId);
            assertThat(task.get("notify_status")).isEqualTo(2);
            assertThat((LocalDateTime) task.get("next_attempt_time")).isAfter((LocalDateTime) task.get("db_now"));
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                    + "WHERE t.team_id = ? AND a.success = 0 AND a.error IS NOT NULL",
                            Integer.class,
                            teamId))
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT a.http_status FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ?",
                        Integer.class,
                        failing500))
                .isEqualTo(500);
        assertThat(jdbc.queryForObject(
                        "SELECT a.http_status FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ?",
                        Integer.class,
                        timingOut))
                .isNull();
    }

    @Test
    void lastTwoMembersSettlingConcurrentlyCountExactlyAndWriteOneTask() throws Exception {
        for (int run = 0; run < 20; run++) {
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            String p = "race" + run + "-";
            String teamId = fullTeam(p + "a", p + "b", p + "c");
            settle(p + "a", "out-" + p + "a", now());

            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (String user : List.of(p + "b", p + "c")) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return settle(user, "out-" + user, now());
                }));
            }
            start.countDown();
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get().path("code").asText()).isEqualTo("0000");
            }
            pool.shutdown();

            assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                    .containsEntry("status", 1)
                    .containsEntry("complete_count", 3);
            assertThat(taskRows(teamId)).isEqualTo(1);
        }
    }

    /**
     * A big team's completion callback lists every member however long their trade numbers: 700 members whose numbers
     * are 32 CJK characters (96 bytes of UTF-8 each) make a body of 69,340 bytes. In a {@code TEXT} column (65,535
     * bytes) the task's {@code INSERT IGNORE} stored it cut at 65,535 bytes, a warning instead of strict mode's "Data
     * too long" (which a batch's plain insert gets, rolling the batch back): the first delivery, from memory, was whole,
     * but every redelivery (a partner's 500, a timeout, the compensation job) sent broken JSON, signed. The team is
     * built as locks and payments leave it (two members over HTTP, the other 698 as their rows, already paid), so the
     * test takes a second, not 1,400 requests.
     */
    @Test
    void aTeamOf700WithLongestTradeNumbersCompletesAndItsCallbackListsEveryMember() throws Exception {
        int target = 700;
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", target, activityId);
        String teamId = lock("big-first", "").path("data").path("teamId").asText();
        lock("big-last", teamId);
        List<String> seeded = paidMembers(teamId, target - 2);
        jdbc.update(
                "UPDATE group_buy_order SET lock_count = ?, complete_count = ? WHERE team_id = ?",
                target,
                target - 2,
                teamId);

        assertThat(settle("big-first", "out-big-first", now()).path("code").asText())
                .isEqualTo("0000");
        JsonNode last = settle("big-last", "out-big-last", now());

        assertThat(last.path("code").asText()).as(last.toString()).isEqualTo("0000");
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 1)
                .containsEntry("complete_count", target);
        RecordedRequest callback = partner.takeRequest(10, TimeUnit.SECONDS);
        assertThat(callback).isNotNull();
        List<String> listed = new ArrayList<>();
        JSON.readTree(callback.getBody().utf8()).path("outTradeNoList").forEach(n -> listed.add(n.asText()));
        List<String> expected = new ArrayList<>(seeded);
        expected.addAll(List.of("out-big-first", "out-big-last"));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(callback.getBody().size()).isGreaterThan(65_535);
        assertThat(jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                        String.class,
                        teamId))
                .as("the outbox row, which every redelivery sends, holds the whole body")
                .isEqualTo(callback.getBody().utf8());
    }

    /**
     * {@code count} members of the team, paid, as the leader's lock and a payment would have written them, each with a
     * trade number of 32 three-byte characters, all different; returns those numbers.
     */
    private List<String> paidMembers(String teamId, int count) {
        Map<String, Object> leader = jdbc.queryForMap(
                "SELECT activity_id, start_time, end_time, goods_id, source, channel, original_price, "
                        + "deduction_price, pay_price FROM group_buy_order_list WHERE team_id = ? LIMIT 1",
                teamId);
        StringBuilder sql = new StringBuilder("INSERT INTO group_buy_order_list (user_id, team_id, order_id, "
                + "activity_id, start_time, end_time, goods_id, source, channel, original_price, deduction_price, "
                + "pay_price, status, out_trade_no, out_trade_time) VALUES ");
        List<Object> args = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String number = "订".repeat(30) + (char) (0x4E00 + i / 64) + (char) (0x4E00 + i % 64);
            numbers.add(number);
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, NOW(3))");
            args.addAll(List.of("big-" + i, teamId, String.format("bt%s%04d", teamId.substring(0, 6), i)));
            for (String column : List.of(
                    "activity_id",
                    "start_time",
                    "end_time",
                    "goods_id",
                    "source",
                    "channel",
                    "original_price",
                    "deduction_price",
                    "pay_price")) {
                args.add(leader.get(column));
            }
            args.add(number);
        }
        jdbc.update(sql.toString(), args.toArray());
        return numbers;
    }

    /**
     * The counts read with the order only pick which guarded count update is tried first (#19): a stale read either
     * way still counts the payment once, owes the callback exactly when it paid the last place, and a payment on a team
     * already full matches neither update and changes nothing.
     */
    @Test
    void aStaleReadOfTheTeamsCountsNeitherLosesNorInventsTheCompletion() throws Exception {
        TeamPayment payment = new TeamPayment(routes);
        String teamId = fullTeam("stale1", "stale2", "stale3");

        // Read as "the last place" (2 of 3 paid) while none is paid: the leaving-places update counts it.
        assertThat(settlements.settle(staleView("stale1", 2), command("stale1"), payment, null))
                .isNull();
        assertThat(settle("stale2", "out-stale2", now()).path("code").asText()).isEqualTo("0000");
        assertThat(taskRows(teamId)).isZero();

        // Read as "places left" (0 of 3 paid) while two are paid: the last-place update counts it and owes the
        // callback.
        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        Long task = settlements
                .settle(staleView("stale3", 0), command("stale3"), payment, null)
                .taskId();
        assertThat(task).isNotNull();
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        assertThat(jdbc.queryForObject("SELECT parameter_json FROM notify_task WHERE id = ?", String.class, task))
                .contains("out-stale1", "out-stale2", "out-stale3");

        // A fourth payment on the full team (its order forced back to locked): neither update matches, nothing changes.
        jdbc.update("UPDATE group_buy_order_list SET status = 0, out_trade_time = NULL WHERE user_id = 'stale3'");
        assertThatThrownBy(() -> settlements.settle(staleView("stale3", 2), command("stale3"), payment, null))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.UPDATE_ZERO.getCode()));
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE user_id = 'stale3'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(3);
        assertThat(taskRows(teamId)).isEqualTo(1);
    }

    /**
     * A payment that looks like it leaves places unpaid is one statement and no transaction (#19): the order paid and
     * the team counted by one multi-table update, both rows or neither. The same payment again from a view read before
     * it (the order no longer locked) moves neither row; a payment on a team that failed meanwhile leaves its order
     * locked and the count as it was.
     */
    @Test
    void thePaymentWithoutATransactionMovesTheOrderAndTheTeamTogetherOrNeither() throws Exception {
        TeamPayment payment = new TeamPayment(routes);
        String teamId = fullTeam("pair1", "pair2", "pair3");

        MemberOrderView before = staleView("pair1", 0);
        assertThat(settlements.settle(before, command("pair1"), payment, null)).isNull();
        assertThat(orderStatus("pair1", "out-pair1")).isEqualTo(1);
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 0)
                .containsEntry("complete_count", 1);

        assertThatThrownBy(() -> settlements.settle(before, command("pair1"), payment, null))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.UPDATE_ZERO.getCode()));
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(1);

        jdbc.update("UPDATE group_buy_order SET status = 2 WHERE team_id = ?", teamId);
        assertThatThrownBy(() -> settlements.settle(staleView("pair2", 1), command("pair2"), payment, null))
                .isInstanceOfSatisfying(
                        AppException.class, e -> assertThat(e.getCode()).isEqualTo(ResponseCode.UPDATE_ZERO.getCode()));
        assertThat(jdbc.queryForMap("SELECT status, out_trade_time FROM group_buy_order_list WHERE user_id = 'pair2'"))
                .containsEntry("status", 0)
                .containsEntry("out_trade_time", null);
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 2)
                .containsEntry("complete_count", 1);
        assertThat(taskRows(teamId)).isZero();
    }

    /**
     * The completing settlement writes its callback under the dispatcher's lease (#19), so the delivery right after
     * commit needs no claim. The lease is no hole in the outbox: while it runs the compensation job leaves the task
     * to its holder, and a task its holder never delivered (an instance that died after commit) is the job's once the
     * lease ends; delivered once.
     */
    @Test
    void aCallbackLeasedToADeliveryThatNeverCameIsTheCompensationJobsOnceTheLeaseEnds() throws Exception {
        TeamPayment payment = new TeamPayment(routes);
        String teamId = fullTeam("lease1", "lease2", "lease3");
        assertThat(settle("lease1", "out-lease1", now()).path("code").asText()).isEqualTo("0000");
        assertThat(settle("lease2", "out-lease2", now()).path("code").asText()).isEqualTo("0000");

        NotifyLease gone =
                new NotifyLease("gone-instance", "gone-token", Instant.now().plusSeconds(2));
        OwedCallback owed = settlements.settle(staleView("lease3", 2), command("lease3"), payment, gone);
        assertThat(owed.leased()).isNotNull();
        assertThat(owed.leased().getClaimToken()).isEqualTo("gone-token");
        assertThat(jdbc.queryForMap("SELECT claimed_by, claim_token FROM notify_task WHERE id = ?", owed.taskId()))
                .containsEntry("claimed_by", "gone-instance")
                .containsEntry("claim_token", "gone-token");

        partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
        deliveries.deliverAllDue(); // while the lease runs: not the job's
        assertThat(taskStatus(teamId)).isZero();
        assertThat(partner.getRequestCount()).isZero();

        await(() -> {
            deliveries.deliverAllDue();
            return taskStatus(teamId) == 1;
        });
        RecordedRequest callback = partner.takeRequest(5, TimeUnit.SECONDS);
        assertThat(callback).isNotNull();
        assertThat(callback.getBody().utf8()).contains("out-lease1", "out-lease2", "out-lease3");
        assertThat(partner.getRequestCount()).isEqualTo(1);
        assertThat(attempts(teamId)).isEqualTo(1);
    }

    /**
     * The settlement read (an explicit constructor result map since #19, automapping off) carries every column the
     * settlement and refund decide on, as stored, for a paid and an unpaid order; another partner's key, or the same
     * key differing only in case or a trailing space, finds nothing (the comparison is exact).
     */
    @Test
    void theSettlementReadCarriesEveryColumnAsStoredAndOnlyForTheExactKey() throws Exception {
        String teamId = fullTeam("read1", "read2", "read3");
        long paidAt = System.currentTimeMillis() / 1000 * 1000 + 987; // the milliseconds reach the column
        while (System.currentTimeMillis() < paidAt) {
            Thread.sleep(10);
        }
        assertThat(settle("read1", "out-read1", Long.toString(paidAt))
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        jdbc.update(
                "UPDATE group_buy_order SET valid_start_time = '2026-01-02 03:04:05.678' WHERE team_id = ?", teamId);

        for (String user : List.of("read1", "read2")) {
            MemberOrderView read = settlements.queryOrder(new PartnerOrderKey("s01", "c01", user, "out-" + user));
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT l.order_id, l.activity_id, l.status, DATE_FORMAT(l.out_trade_time, '%Y-%m-%d %H:%i:%s.%f') "
                            + "AS paid_at, o.status AS team_status, DATE_FORMAT(o.valid_start_time, "
                            + "'%Y-%m-%d %H:%i:%s.%f') AS start_at, DATE_FORMAT(o.valid_end_time, "
                            + "'%Y-%m-%d %H:%i:%s.%f') AS end_at, o.source, o.channel, o.notify_type, o.notify_url, "
                            + "o.complete_count, o.target_count FROM group_buy_order_list l "
                            + "JOIN group_buy_order o ON o.team_id = l.team_id WHERE l.user_id = ?",
                    user);
            assertThat(read.getOrderId()).isEqualTo(row.get("order_id"));
            assertThat(read.getUserId()).isEqualTo(user);
            assertThat(read.getOutTradeNo()).isEqualTo("out-" + user);
            assertThat(read.getActivityId()).isEqualTo(activityId);
            assertThat(read.getOrderStatus().code()).isEqualTo(((Number) row.get("status")).intValue());
            assertThat(read.getTeamId()).isEqualTo(teamId);
            assertThat(read.getTeamStatus().code()).isEqualTo(((Number) row.get("team_status")).intValue());
            assertThat(millisText(read.getTeamValidStartTime())).isEqualTo("2026-01-02 03:04:05.678000");
            assertThat(millisText(read.getTeamValidStartTime())).isEqualTo(row.get("start_at"));
            assertThat(millisText(read.getTeamValidEndTime())).isEqualTo(row.get("end_at"));
            assertThat(read.getSource()).isEqualTo("s01").isEqualTo(row.get("source"));
            assertThat(read.getChannel()).isEqualTo("c01").isEqualTo(row.get("channel"));
            assertThat(read.getNotifyType()).isEqualTo("HTTP").isEqualTo(row.get("notify_type"));
            assertThat(read.getNotifyUrl())
                    .isEqualTo(partner.url("/callback").toString())
                    .isEqualTo(row.get("notify_url"));
            assertThat(read.getTeamCompleteCount()).isEqualTo(1).isEqualTo(row.get("complete_count"));
            assertThat(read.getTeamTargetCount()).isEqualTo(3).isEqualTo(row.get("target_count"));
            assertThat(read.getLockTime()).isNull();
            if (user.equals("read1")) {
                assertThat(read.wasSettled()).isTrue();
                assertThat(millisText(read.getOutTradeTime()))
                        .isEqualTo(row.get("paid_at"))
                        .isEqualTo(millisText(Instant.ofEpochMilli(paidAt)));
            } else {
                assertThat(read.wasSettled()).isFalse();
                assertThat(read.getOutTradeTime()).isNull();
                assertThat(row.get("paid_at")).isNull();
            }
        }

        assertThat(settlements.queryOrder(new PartnerOrderKey("s01", "c01", "read2", "out-read2")))
                .isNotNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s02", "c01", "read2", "out-read2")))
                .isNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s01", "c02", "read2", "out-read2")))
                .isNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s01", "c01", "READ2", "out-read2")))
                .isNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s01", "c01", "read2", "OUT-read2")))
                .isNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s01", "c01", "read2 ", "out-read2")))
                .isNull();
        assertThat(settlements.queryOrder(new PartnerOrderKey("s01 ", "c01", "read2", "out-read2")))
                .isNull();
    }

    private static String millisText(Instant value) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS000")
                .format(LocalDateTime.ofInstant(value, java.time.ZoneOffset.UTC));
    }

    /** The user's order as settlement reads it, with the team's paid count replaced by {@code paid} (of 3). */
    private MemberOrderView staleView(String userId, int paid) {
        MemberOrderView read = settlements.queryOrder(new PartnerOrderKey("s01", "c01", userId, "out-" + userId));
        return read.toBuilder().teamCompleteCount(paid).teamTargetCount(3).build();
    }

    private static SettleCommand command(String userId) {
        return SettleCommand.builder()
                .source("s01")
                .channel("c01")
                .userId(userId)
                .outTradeNo("out-" + userId)
                .outTradeTime(Instant.now().minusSeconds(1))
                .build();
    }

    private String completedTeam(String prefix) throws Exception {
        String teamId = fullTeam(prefix + "1", prefix + "2", prefix + "3");
        for (String user : List.of(prefix + "1", prefix + "2", prefix + "3")) {
            assertThat(settle(user, "out-" + user, now()).path("code").asText()).isEqualTo("0000");
        }
        return teamId;
    }

    private String fullTeam(String first, String second, String third) throws Exception {
        String teamId = lock(first, "").path("data").path("teamId").asText();
        assertThat(lock(second, teamId).path("code").asText()).isEqualTo("0000");
        assertThat(lock(third, teamId).path("code").asText()).isEqualTo("0000");
        return teamId;
    }

    private JsonNode lock(String userId, String teamId) throws Exception {
        JsonNode answer = post(
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\""
                        + teamId + "\",\"activityId\":" + activityId + ",\"goodsId\":\"" + goodsId
                        + "\",\"source\":\"s01\","
                        + "\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId
                        + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\","
                        + "\"notifyUrl\":\"" + partner.url("/callback") + "\"}}");
        assertThat(answer.path("code").asText()).isEqualTo("0000");
        return answer;
    }

    private JsonNode settle(String userId, String outTradeNo, String outTradeTime) throws Exception {
        return post(
                "/api/v1/gbm/trade/settlement_market_pay_order",
                "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + userId + "\",\"outTradeNo\":\"" + outTradeNo
                        + "\",\"outTradeTime\":\"" + outTradeTime + "\"}");
    }

    private static String now() {
        return LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    private JsonNode post(String path, String json) throws Exception {
        return TestJson.postEnvelope(port, path, json);
    }

    /** Verifies the Standard Webhooks signature with the JDK alone, independent of the service's signer. */
    private static void assertSignedWithTestSecret(RecordedRequest request) throws Exception {
        String id = request.getHeaders().get("webhook-id");
        String timestamp = request.getHeaders().get("webhook-timestamp");
        String signature = request.getHeaders().get("webhook-signature");
        assertThat(id).isNotBlank();
        assertThat(Long.parseLong(timestamp))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test_secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (id + "." + timestamp + "." + request.getBody().utf8())
                                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(signature).isEqualTo(expected);
    }

    private int orderStatus(String userId, String outTradeNo) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                Integer.class,
                userId,
                outTradeNo);
    }

    private int taskStatus(String teamId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    private int taskRows(String teamId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    private int attempts(String teamId) {
        return jdbc.queryForObject(
                "SELECT COALESCE(SUM(notify_count), 0) FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }
}
