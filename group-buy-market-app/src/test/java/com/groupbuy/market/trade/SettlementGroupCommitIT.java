package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.OrderPaymentRow;
import com.groupbuy.market.infrastructure.trade.po.TeamCountRow;
import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of settlements (#19) over real HTTP, MariaDB and Redis, with the partner played by a real HTTP server:
 * many settlements of many teams, each notice sent several times at once, share batches and still pay every order once,
 * count every team exactly and write (and deliver) exactly one callback per completed team; a settlement whose guards
 * refuse it is its own outcome while its batch neighbours are paid; a batch the database refuses is rolled back and
 * each settlement written alone. A 200 ms window puts each test's concurrent settlements in shared batches.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.settlement.group-commit.enabled=true",
            "gbm.settlement.group-commit.max-wait=200ms",
            "gbm.notify.read-timeout=1s"
        })
class SettlementGroupCommitIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19700);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ISettlementRepository settlements;

    @Autowired
    NotifyRoutes routes;

    @Autowired(required = false)
    SettlementGroupCommit groupCommit;

    @Autowired
    IGroupBuySettlementDao settlementDao;

    @Autowired
    TransactionTemplate transaction;

    private MockWebServer partner;
    /** Callbacks the partner received, per team id. */
    private final Map<String, AtomicInteger> callbacks = new ConcurrentHashMap<>();

    private long activityId;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(groupCommit).as("gbm.settlement.group-commit.enabled=true").isNotNull();
        partner = new MockWebServer();
        partner.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode body;
                try {
                    body = TestJson.JSON.readTree(request.getBody().utf8());
                } catch (Exception e) {
                    return new MockResponse.Builder().code(400).build();
                }
                callbacks
                        .computeIfAbsent(body.path("teamId").asText(), t -> new AtomicInteger())
                        .incrementAndGet();
                return new MockResponse.Builder().code(200).body("success").build();
            }
        });
        partner.start();
        activityId = ACTIVITY.incrementAndGet();
        new MarketConfigFixture(jdbc).goods("g" + activityId, activityId, "ZJ", "20", "100.00");
    }

    @AfterEach
    void tearDown() {
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_doomed_payments");
        partner.close();
    }

    @Test
    void manySettlementsOfManyTeamsNoticedSeveralTimesAtOncePayEachOrderOnceAndCallEachTeamOnce() throws Exception {
        int fullTeams = 8;
        int partTeams = 4;
        List<String> teams = new ArrayList<>();
        List<String> paying = new ArrayList<>();
        List<String> unpaid = new ArrayList<>();
        for (int t = 0; t < fullTeams + partTeams; t++) {
            String prefix = "m" + t + "-";
            teams.add(fullTeam(prefix + "a", prefix + "b", prefix + "c"));
            paying.add(prefix + "a");
            paying.add(prefix + "b");
            if (t < fullTeams) {
                paying.add(prefix + "c");
            } else {
                unpaid.add(prefix + "c");
            }
        }
        double fallbacksBefore = fallbacks();
        double batchesBefore = batches();
        double settlementsBefore = batchedSettlements();
        String paidAt = now();

        // Each payment noticed three times at once (malls repeat notices): 3 × 32 requests.
        Map<String, Callable<JsonNode>> notices = new HashMap<>();
        for (String user : paying) {
            for (int n = 0; n < 3; n++) {
                notices.put(user + "#" + n, () -> settle(user, paidAt));
            }
        }
        Map<String, JsonNode> answers = Race.together(notices);

        answers.forEach((who, answer) ->
                assertThat(answer.path("code").asText()).as(who + " " + answer).isEqualTo("0000"));
        for (String user : paying) {
            assertThat(jdbc.queryForMap(
                            "SELECT status, out_trade_time IS NOT NULL AS paid_at FROM group_buy_order_list "
                                    + "WHERE user_id = ?",
                            user(user)))
                    .as(user)
                    .containsEntry("status", 1)
                    .containsEntry("paid_at", 1);
        }
        for (String user : unpaid) {
            assertThat(jdbc.queryForObject(
                            "SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, user(user)))
                    .as(user)
                    .isZero();
        }
        for (int t = 0; t < teams.size(); t++) {
            String teamId = teams.get(t);
            boolean full = t < fullTeams;
            assertThat(jdbc.queryForMap(
                            "SELECT o.status, o.complete_count, (SELECT COUNT(*) FROM group_buy_order_list l "
                                    + "WHERE l.team_id = o.team_id AND l.status = 1) AS paid "
                                    + "FROM group_buy_order o WHERE o.team_id = ?",
                            teamId))
                    .as(teamId)
                    .containsEntry("status", full ? 1 : 0)
                    .containsEntry("complete_count", full ? 3 : 2)
                    .containsEntry("paid", full ? 3L : 2L);
            assertThat(taskRows(teamId)).as(teamId).isEqualTo(full ? 1 : 0);
        }
        for (int t = 0; t < fullTeams; t++) {
            String teamId = teams.get(t);
            await(() -> taskStatus(teamId) == 1);
            assertThat(jdbc.queryForObject(
                            "SELECT parameter_json FROM notify_task WHERE team_id = ?", String.class, teamId))
                    .contains(outTradeNo("m" + t + "-a"), outTradeNo("m" + t + "-b"), outTradeNo("m" + t + "-c"));
        }
        Thread.sleep(500); // a second delivery of any callback would arrive now
        for (int t = 0; t < teams.size(); t++) {
            AtomicInteger received = callbacks.get(teams.get(t));
            assertThat(received == null ? 0 : received.get())
                    .as("callbacks of " + teams.get(t))
                    .isEqualTo(t < fullTeams ? 1 : 0);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM late_payment", Integer.class))
                .isZero();
        assertThat(fallbacks()).isEqualTo(fallbacksBefore);
        // Every payment went through the writer (a notice read after its payment committed answers from that read),
        // in far fewer batches than settlements.
        double written = batchedSettlements() - settlementsBefore;
        assertThat(written).isBetween((double) paying.size(), (double) notices.size());
        assertThat(batches() - batchesBefore).isLessThan(written / 2);
    }

    /**
     * A settlement the guards refuse (its order closed after it was read) is answered "changed meanwhile" on its own,
     * in the same batch as neighbours that are paid — two and three payments of one team among them, the last of which
     * owes the callback (listing every paid member, this batch's included) and writes it under its own lease. Reads
     * that say "last place" for payments that are not are paid by the other statement in the batch, as alone.
     */
    @Test
    void aRefusedSettlementIsItsOwnOutcomeWhileItsBatchNeighboursArePaid() throws Exception {
        TeamPayment payment = new TeamPayment(routes);
        String closedTeam = fullTeam("r1", "r2", "r3");
        String paidTeam = fullTeam("y1", "y2", "y3");
        String openTeam = fullTeam("z1", "z2", "z3");
        MemberOrderView stale = view("r1");
        assertThat(refund("r1").path("code").asText()).isEqualTo("0000"); // unpaid: closed, place freed
        NotifyLease lease =
                new NotifyLease("test-instance", "test-token", Instant.now().plusSeconds(60));
        double fallbacksBefore = fallbacks();
        double batchesBefore = batches();

        Map<String, Callable<Object>> writes = new HashMap<>();
        writes.put("r1", () -> settleDirect(stale, payment, null));
        // Every y and z1 read as "2 of 3 paid": each first tries the last-place statement, which matches only for the
        // last of its team in the batch; the others must then be paid by the other shape, not refused.
        for (String user : List.of("y1", "y2", "y3")) {
            MemberOrderView read = staleView(user);
            writes.put(user, () -> settleDirect(read, payment, user.equals("y3") ? lease : null));
        }
        MemberOrderView z1 = staleView("z1");
        writes.put("z1", () -> settleDirect(z1, payment, null));
        MemberOrderView z2 = view("z2");
        writes.put("z2", () -> settleDirect(z2, payment, null));
        Map<String, Object> outcomes = Race.together(writes);

        assertThat(outcomes.get("r1")).isEqualTo(ResponseCode.UPDATE_ZERO.getCode());
        assertThat(outcomes.get("z1")).isEqualTo("paid");
        assertThat(outcomes.get("z2")).isEqualTo("paid");
        List<OwedCallback> owed = new ArrayList<>();
        for (String user : List.of("y1", "y2", "y3")) {
            if (outcomes.get(user) instanceof OwedCallback callback) {
                owed.add(callback);
            } else {
                assertThat(outcomes.get(user)).as(user).isEqualTo("paid");
            }
        }
        assertThat(owed).hasSize(1);
        OwedCallback callback = owed.get(0);
        assertThat(jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE id = ?", String.class, callback.taskId()))
                .contains(outTradeNo("y1"), outTradeNo("y2"), outTradeNo("y3"));
        assertThat(taskRows(paidTeam)).isEqualTo(1);
        // The completing payment was whichever of the team came last in the batch; only y3's carries a lease.
        if (callback.leased() != null) {
            assertThat(callback.leased().getClaimToken()).isEqualTo("test-token");
            assertThat(jdbc.queryForObject(
                            "SELECT claim_token FROM notify_task WHERE id = ?", String.class, callback.taskId()))
                    .isEqualTo("test-token");
        }
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", paidTeam))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", openTeam))
                .containsEntry("status", 0)
                .containsEntry("complete_count", 2);
        assertThat(jdbc.queryForMap(
                        "SELECT status, out_trade_time FROM group_buy_order_list WHERE user_id = ?", user("r1")))
                .containsEntry("status", 2)
                .containsEntry("out_trade_time", null);
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, closedTeam))
                .isZero();
        assertThat(taskRows(closedTeam)).isZero();
        // One batch for all six, none rolled back.
        assertThat(batches() - batchesBefore).isEqualTo(1.0);
        assertThat(fallbacks()).isEqualTo(fallbacksBefore);
    }

    /**
     * A batch the database refuses as a whole (a trigger refuses the payment of one order) is rolled back, and each of
     * its settlements is written alone: the refused one fails alone with the answer it gets without group commit
     * (0001), its neighbours are paid, and the team they complete has exactly one callback, delivered once.
     */
    @Test
    void aBatchTheDatabaseRefusesIsRolledBackAndEachSettlementWrittenAlone() throws Exception {
        String doomedTeam = fullTeam("doomed1", "d2", "d3");
        String paidTeam = fullTeam("f1", "f2", "f3");
        String openTeam = fullTeam("o1", "o2", "o3");
        jdbc.execute("CREATE TRIGGER refuse_doomed_payments BEFORE UPDATE ON group_buy_order_list FOR EACH ROW "
                + "IF NEW.user_id LIKE 'doomed%' AND NEW.status = 1 THEN "
                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF");
        double fallbacksBefore = fallbacks();
        String paidAt = now();

        Map<String, Callable<JsonNode>> notices = new HashMap<>();
        for (String user : List.of("doomed1", "f1", "f2", "f3", "o1")) {
            notices.put(user, () -> settleAnyStatus(user, paidAt));
        }
        Map<String, JsonNode> answers = Race.together(notices);

        assertThat(answers.get("doomed1").path("code").asText()).isEqualTo("0001");
        for (String user : List.of("f1", "f2", "f3", "o1")) {
            assertThat(answers.get(user).path("code").asText())
                    .as(user + " " + answers.get(user))
                    .isEqualTo("0000");
        }
        assertThat(fallbacks()).isGreaterThan(fallbacksBefore);
        assertThat(jdbc.queryForObject(
                        "SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, user("doomed1")))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, doomedTeam))
                .isZero();
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", paidTeam))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, openTeam))
                .isEqualTo(1);
        assertThat(taskRows(paidTeam)).isEqualTo(1);
        assertThat(taskRows(doomedTeam) + taskRows(openTeam)).isZero();
        await(() -> taskStatus(paidTeam) == 1);
        Thread.sleep(500);
        assertThat(callbacks.get(paidTeam).get()).isEqualTo(1);
    }

    /**
     * One batch mixing stale settlements with good ones (#19, settlepay: the batch's payments decided on its locked rows
     * and written in two guarded statements): an order settled alone after it was read, an order refunded after it was
     * read, a team failed after its orders were read, one payment noticed twice in the batch, and a team with fewer
     * places left than payments (its paid count raised after the reads) — each stale settlement refused on its own, every
     * good one paid exactly once, each team counted exactly and called once when complete, in one batch, none rolled
     * back (a refusal the batch's statements had to catch would roll it back and show as a fallback).
     */
    @Test
    void aBatchMixingStaleSettlementsWithGoodOnesPaysTheGoodOnesOnceAndRefusesTheStaleOnes() throws Exception {
        TeamPayment payment = new TeamPayment(routes);
        String settledTeam = fullTeam("s1", "s2", "s3");
        String refundTeam = fullTeam("u1", "u2", "u3");
        String failedTeam = fullTeam("x1", "x2", "x3");
        String twiceTeam = fullTeam("w1", "w2", "w3");
        String crowdedTeam = fullTeam("e1", "e2", "e3");
        Map<String, MemberOrderView> read = new HashMap<>();
        for (String user :
                List.of("s1", "s2", "s3", "u1", "u2", "u3", "x1", "x2", "w1", "w2", "w3", "e1", "e2", "e3")) {
            read.put(user, view(user));
        }
        // Between the reads and the batch: s1 paid by a notice of its own, u2 refunded (closed), the x team failed,
        // the e team's paid count raised to 2 of 3 (one place left for three payments).
        assertThat(settle("s1", now()).path("code").asText()).isEqualTo("0000");
        assertThat(refund("u2").path("code").asText()).isEqualTo("0000");
        jdbc.update("UPDATE group_buy_order SET status = 2 WHERE team_id = ?", failedTeam);
        jdbc.update("UPDATE group_buy_order SET complete_count = 2 WHERE team_id = ?", crowdedTeam);
        String s1PaidAt = jdbc.queryForObject(
                "SELECT CAST(out_trade_time AS CHAR) FROM group_buy_order_list WHERE user_id = ?",
                String.class,
                user("s1"));
        double fallbacksBefore = fallbacks();
        double batchesBefore = batches();

        Map<String, Callable<Object>> writes = new HashMap<>();
        read.forEach((user, view) -> writes.put(user, () -> settleDirect(view, payment, null)));
        writes.put("w1#2", () -> settleDirect(read.get("w1"), payment, null));
        Map<String, Object> outcomes = Race.together(writes);

        String refused = ResponseCode.UPDATE_ZERO.getCode();
        for (String user : List.of("s1", "u2", "x1", "x2")) {
            assertThat(outcomes.get(user)).as(user).isEqualTo(refused);
        }
        for (String user : List.of("u1", "u3")) {
            assertThat(outcomes.get(user)).as(user).isEqualTo("paid");
        }
        // s2, s3: one of them completed the team (owes its callback), the other is paid.
        assertThat(List.of(outcomes.get("s2"), outcomes.get("s3")))
                .filteredOn(o -> o instanceof OwedCallback)
                .hasSize(1);
        assertThat(List.of(outcomes.get("s2"), outcomes.get("s3"))).contains("paid");
        // w1 noticed twice in the batch: exactly one of its two notices paid it, the other refused; one of the team's
        // payments completed it.
        List<Object> twice = List.of(outcomes.get("w1"), outcomes.get("w1#2"), outcomes.get("w2"), outcomes.get("w3"));
        assertThat(twice).filteredOn(refused::equals).hasSize(1);
        assertThat(List.of(outcomes.get("w1"), outcomes.get("w1#2"))).contains(refused);
        assertThat(twice).filteredOn(o -> o instanceof OwedCallback).hasSize(1);
        assertThat(twice).filteredOn("paid"::equals).hasSize(2);
        // The e team had one place left: exactly one of its three paid (and completed it), two refused.
        List<Object> crowded = List.of(outcomes.get("e1"), outcomes.get("e2"), outcomes.get("e3"));
        assertThat(crowded).filteredOn(refused::equals).hasSize(2);
        assertThat(crowded).filteredOn(o -> o instanceof OwedCallback).hasSize(1);

        assertThat(jdbc.queryForObject(
                        "SELECT CAST(out_trade_time AS CHAR) FROM group_buy_order_list WHERE user_id = ?",
                        String.class,
                        user("s1")))
                .as("s1 paid once, by its own notice")
                .isEqualTo(s1PaidAt);
        assertThat(orderStatus("u2")).isEqualTo(2);
        assertThat(orderStatus("x1")).isZero();
        assertThat(orderStatus("x2")).isZero();
        for (String user : List.of("s2", "s3", "u1", "u3", "w1", "w2", "w3")) {
            assertThat(orderStatus(user)).as(user).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 1",
                        Integer.class,
                        crowdedTeam))
                .isEqualTo(1);
        assertTeam(settledTeam, 1, 3);
        assertTeam(refundTeam, 0, 2);
        assertTeam(failedTeam, 2, 0);
        assertTeam(twiceTeam, 1, 3);
        // Its count raised by hand to 2 with no member paid: now 3 (complete) with the one payment of the batch.
        assertThat(jdbc.queryForMap(
                        "SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", crowdedTeam))
                .containsEntry("status", 1)
                .containsEntry("complete_count", 3);
        assertThat(taskRows(settledTeam)).isEqualTo(1);
        assertThat(taskRows(twiceTeam)).isEqualTo(1);
        assertThat(taskRows(crowdedTeam)).isEqualTo(1);
        assertThat(taskRows(refundTeam) + taskRows(failedTeam)).isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                        String.class,
                        settledTeam))
                .contains(outTradeNo("s1"), outTradeNo("s2"), outTradeNo("s3"));
        assertThat(batches() - batchesBefore).isEqualTo(1.0);
        assertThat(fallbacks()).as("no batch rolled back").isEqualTo(fallbacksBefore);
    }

    /**
     * The batch's two payment statements refuse, row by row, what their guards name even when the caller asks: an
     * order no longer locked, a team no longer open, a team not at the count it was decided on, a count past the
     * target. Rolled back (the test's JdbcTemplate reads outside that transaction, so only the rows matched are read).
     */
    @Test
    void theBatchPaymentStatementsRefuseEveryStaleRowThemselves() throws Exception {
        String team = fullTeam("g1", "g2", "g3");
        String failed = fullTeam("h1", "h2", "h3");
        assertThat(settle("g1", now()).path("code").asText()).isEqualTo("0000"); // g1 paid, team at 1 of 3
        jdbc.update("UPDATE group_buy_order SET status = 2 WHERE team_id = ?", failed);
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        transaction.executeWithoutResult(status -> {
            status.setRollbackOnly();
            assertThat(settlementDao.payOrders(
                            List.of(
                                    new OrderPaymentRow(orderId("g1"), at),
                                    new OrderPaymentRow(orderId("g2"), at),
                                    new OrderPaymentRow(orderId("h1"), at)),
                            0,
                            1))
                    .as("g1 already paid is not matched")
                    .isEqualTo(2);
            // The team at 1: decided on 0 (stale), on 1 but past its 3 places, failed: none matched.
            assertThat(settlementDao.countPayments(List.of(new TeamCountRow(team, 0, 1, 0)), 0))
                    .isZero();
            assertThat(settlementDao.countPayments(List.of(new TeamCountRow(team, 1, 4, 1)), 0))
                    .isZero();
            assertThat(settlementDao.countPayments(List.of(new TeamCountRow(failed, 0, 1, 0)), 0))
                    .isZero();
            assertThat(settlementDao.countPayments(
                            List.of(new TeamCountRow(failed, 0, 1, 0), new TeamCountRow(team, 1, 3, 1)), 0))
                    .as("the good row of two")
                    .isEqualTo(1);
        });
        assertThat(jdbc.queryForObject(
                        "SELECT complete_count FROM group_buy_order WHERE team_id = ?", Integer.class, team))
                .isEqualTo(1);
    }

    private void assertTeam(String teamId, int status, int completeCount) {
        assertThat(jdbc.queryForMap(
                        "SELECT o.status, o.complete_count, (SELECT COUNT(*) FROM group_buy_order_list l "
                                + "WHERE l.team_id = o.team_id AND l.status = 1) AS paid "
                                + "FROM group_buy_order o WHERE o.team_id = ?",
                        teamId))
                .as(teamId)
                .containsEntry("status", status)
                .containsEntry("complete_count", completeCount)
                .containsEntry("paid", (long) completeCount);
    }

    private int orderStatus(String name) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, user(name));
    }

    private String orderId(String name) {
        return jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE user_id = ?", String.class, user(name));
    }

    /** The repository's outcome for a settlement: "paid", its callback, or the refusal's code. */
    private Object settleDirect(MemberOrderView read, TeamPayment payment, NotifyLease lease) {
        SettleCommand command = SettleCommand.builder()
                .source("s01")
                .channel("c01")
                .userId(read.getUserId())
                .outTradeNo(read.getOutTradeNo())
                .outTradeTime(Instant.now().minusSeconds(1))
                .build();
        try {
            OwedCallback owed = settlements.settle(read, command, payment, lease);
            return owed == null ? "paid" : owed;
        } catch (AppException e) {
            return e.getCode();
        }
    }

    private MemberOrderView view(String name) {
        return settlements.queryOrder(new PartnerOrderKey("s01", "c01", user(name), outTradeNo(name)));
    }

    /** The order as read, with its team's paid count read as 2 of 3: its payment looks like the last. */
    private MemberOrderView staleView(String name) {
        return view(name).toBuilder().teamCompleteCount(2).teamTargetCount(3).build();
    }

    /** A user of this test alone (orders are looked up by user and out trade number across activities). */
    private String user(String name) {
        return name + "-" + activityId;
    }

    private String outTradeNo(String name) {
        return "out-" + user(name);
    }

    private String fullTeam(String first, String second, String third) throws Exception {
        String teamId = lock(first, "").path("data").path("teamId").asText();
        lock(second, teamId);
        lock(third, teamId);
        return teamId;
    }

    private JsonNode lock(String name, String teamId) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + user(name) + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                        + "\"outTradeNo\":\"" + outTradeNo(name) + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\","
                        + "\"notifyUrl\":\"" + partner.url("/callback") + "\"}}");
        assertThat(answer.path("code").asText()).as(name + " " + answer).isEqualTo("0000");
        return answer;
    }

    private JsonNode settle(String name, String outTradeTime) throws Exception {
        return TestJson.postEnvelope(
                port, "/api/v1/gbm/trade/settlement_market_pay_order", settleBody(name, outTradeTime));
    }

    /** A settlement the database may fail: any HTTP status (a failure of the database itself is HTTP 500, 0001). */
    private JsonNode settleAnyStatus(String name, String outTradeTime) throws Exception {
        return TestJson.JSON.readTree(
                TestJson.post(port, "/api/v1/gbm/trade/settlement_market_pay_order", settleBody(name, outTradeTime))
                        .body());
    }

    private String settleBody(String name, String outTradeTime) {
        return "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"" + user(name) + "\",\"outTradeNo\":\""
                + outTradeNo(name) + "\",\"outTradeTime\":\"" + outTradeTime + "\"}";
    }

    private JsonNode refund(String name) throws Exception {
        return TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/refund_market_pay_order",
                "{\"userId\":\"" + user(name) + "\",\"outTradeNo\":\"" + outTradeNo(name)
                        + "\",\"source\":\"s01\",\"channel\":\"c01\"}");
    }

    private static String now() {
        return LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    private int taskRows(String teamId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                Integer.class,
                teamId);
    }

    private int taskStatus(String teamId) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                Integer.class,
                teamId);
    }

    private double fallbacks() {
        return meters.get("gbm.settlement.group.commit.fallbacks").counter().count();
    }

    private double batches() {
        return meters.get("gbm.settlement.group.commit.batch").summary().count();
    }

    private double batchedSettlements() {
        return meters.get("gbm.settlement.group.commit.batch").summary().totalAmount();
    }
}
