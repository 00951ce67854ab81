package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TradeClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A payment notice and a refund that arrive as the team fails (its delayed check or the timeout job expiring it) get
 * a definite answer, over real HTTP, MariaDB and Redis: the payment is counted and its buyer kept (and told, with the
 * team, to be refunded) or it is a late payment (E0208, recorded); the refund succeeds or repeats. Never 500 "unknown
 * failure": the expiry locked its members through the team's index and their rows, then closed the unpaid ones by
 * order id, whose unique index a settlement or refund of the same order had locked first on its way to that row — a
 * deadlock, whose loser (usually the payment, the smaller transaction) was answered 0001. And an expiry locks its own
 * team's members only: the optimizer's choice of index for that locking read (a rowid filter on idx_status_create)
 * had it lock every live order of every team, so other teams' payments waited for it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {"gbm.timeout.expiry-grace=60s", "gbm.notify.refund-urls.s01.c01=http://127.0.0.1:1/refund"})
class TeamExpiryRaceIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(15500);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final DateTimeFormatter PARTNER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeouts;

    @Autowired
    IRefundRepository refundRepository;

    @Test
    void aPaymentAndARefundArrivingAsTheTeamFailsGetDefiniteAnswersAndTheCountsAgree() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        for (int run = 0; run < 40; run++) {
            String p = "x" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            assertThat(mall.settle(p + "a").path("code").asText()).isEqualTo("0000");
            // The team ended two minutes ago (past its 60 s grace); b paid five minutes ago, inside the window.
            jdbc.update(
                    "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                            + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                    teamId);
            String paidInTime = LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                    .minusMinutes(5)
                    .format(PARTNER_TIME);

            List<JsonNode> answers = Race.run(3, i -> switch (i) {
                case 0 -> BooleanNode.valueOf(timeouts.expireTeamNow(teamId));
                case 1 -> mall.settle(p + "b", paidInTime);
                default -> mall.refund(p + "c");
            });

            String settled = answers.get(1).path("code").asText();
            assertThat(settled).as("run %d: the payment of b", run).isIn("0000", "E0208");
            assertThat(answers.get(2).path("code").asText())
                    .as("run %d: the refund of c", run)
                    .isEqualTo("0000");
            assertThat(answers.get(2).path("data").path("code").asText()).isIn("success", "repeat");
            assertThat(answers.get(0).asBoolean()).as("run %d: the expiry", run).isTrue();

            assertThat(counts.team(teamId)).containsEntry("status", 2);
            assertThat(counts.orderStatus(p + "c")).isEqualTo(2);
            if (settled.equals("0000")) {
                assertThat(counts.orderStatus(p + "b")).as("paid in time: kept").isEqualTo(1);
                assertThat(counts.tasks(teamId, "trade_paid2refund"))
                        .as("a and b told")
                        .isGreaterThanOrEqualTo(2);
            } else {
                assertThat(counts.orderStatus(p + "b")).isEqualTo(2);
                assertThat(counts.lateNotices(p + "b"))
                        .as("recorded as paid late")
                        .isEqualTo(1);
            }
            Map<String, Object> team = counts.team(teamId);
            assertThat(team.get("lock_count"))
                    .as("run %d: places held by live orders", run)
                    .isEqualTo(rows(teamId, "status IN (0, 1)"));
            assertThat(team.get("complete_count")).isEqualTo(rows(teamId, "status = 1"));
        }
    }

    @Test
    void anExpiryHoldingItsTeamsMembersLeavesOtherTeamsPaymentsAlone() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        String expiring = mall.team("h1", "h2");
        String other = mall.team("o1", "o2");
        // A table like a live one: most member orders closed (refunded, timed out, failed teams), statistics fresh.
        jdbc.update("INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no) "
                + "SELECT CONCAT('closed', seq), CONCAT('9', LPAD(seq MOD 200, 7, '0')), CONCAT('9', LPAD(seq, 11, '0')), 1, UTC_TIMESTAMP(3), "
                + "UTC_TIMESTAMP(3), 'g', 's01', 'c01', 100, 20, 80, 2, CONCAT('out-closed', seq) FROM seq_1_to_600");
        jdbc.execute("ANALYZE TABLE group_buy_order_list");
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // The expiry's transaction, stopped where it decides: its member rows are locked, as they are while it
            // writes the team's callbacks.
            Future<?> expiry = pool.submit(() ->
                    refundRepository.expireTeam(expiring, Instant.now().plus(Duration.ofHours(1)), (team, members) -> {
                        locked.countDown();
                        await(release);
                        return Optional.empty();
                    }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

            Future<JsonNode> payment = pool.submit(() -> mall.settle("o1"));

            assertThat(payment.get(5, TimeUnit.SECONDS).path("code").asText())
                    .as("another team's payment does not wait for this team's expiry")
                    .isEqualTo("0000");
            release.countDown();
            expiry.get(10, TimeUnit.SECONDS);
            assertThat(counts.team(other)).containsEntry("complete_count", 1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * A race harness of the reverse flows on real HTTP, MariaDB and Redis: per run one team of three, in one of four
     * shapes (two paid and one locked; one paid and two locked, ended; two paid and one locked, ended; complete),
     * and seven calls released together — the same refund twice, refunds of other members, the locked member's
     * payment (inside the window), repeated payment notices, the team's expiry (its close check) and a timeout job
     * run. After each run: no 0001, E0401 or {@code fail}; the team's counts equal its live and paid rows, within
     * 0..target; its state agrees with them; Redis holds as many places as the database; one completion callback
     * exactly when the team formed; one refund callback per closed order, none for a live one.
     */
    @Test
    void refundsRacingPaymentsRepeatsAndExpiriesLeaveCountsPlacesAndCallbacksAgreeing() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
        List<String> problems = new ArrayList<>();
        for (int run = 0; run < 16; run++) {
            String p = "r" + run + "-";
            String teamId = mall.team(p + "a", p + "b", p + "c");
            int shape = run % 4;
            if (shape != 3) {
                check(mall.settle(p + "a"), "0000");
            }
            if (shape == 0 || shape == 2) {
                check(mall.settle(p + "b"), "0000");
            }
            if (shape == 3) {
                check(mall.settle(p + "a"), "0000");
                check(mall.settle(p + "b"), "0000");
                check(mall.settle(p + "c"), "0000");
            }
            boolean expiring = shape == 1 || shape == 2;
            if (expiring) {
                jdbc.update(
                        "UPDATE group_buy_order SET valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 15 MINUTE, "
                                + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 2 MINUTE WHERE team_id = ?",
                        teamId);
            }
            String paidAt = expiring
                    ? LocalDateTime.now(ZoneId.of("Asia/Shanghai"))
                            .minusMinutes(5)
                            .format(PARTNER_TIME)
                    : TradeClient.now();
            List<JsonNode> answers = Race.run(7, i -> switch (i) {
                case 0 -> mall.refund(p + "a");
                case 1 -> mall.refund(p + "a");
                case 2 -> mall.settle(p + "c", paidAt);
                case 3 -> mall.refund(p + "b");
                case 4 -> expiring ? BooleanNode.valueOf(timeouts.expireTeamNow(teamId)) : mall.settle(p + "b", paidAt);
                case 5 -> shape == 3 ? mall.refund(p + "c") : mall.settle(p + "b", paidAt);
                default -> TextNode.valueOf(String.valueOf(timeouts.execTimeoutCloseJob(0, 1)));
            });
            for (int i = 0; i < answers.size(); i++) {
                JsonNode a = answers.get(i);
                if (a.isObject()) {
                    String code = a.path("code").asText();
                    if (code.equals("0001")
                            || code.equals("E0401")
                            || a.path("data").path("code").asText().equals("fail")) {
                        problems.add("run " + run + " shape " + shape + " call " + i + ": " + a);
                    }
                }
            }
            invariants(problems, run, shape, teamId, answers);
        }
        assertThat(problems).isEmpty();
    }

    private void invariants(List<String> problems, int run, int shape, String teamId, List<JsonNode> answers) {
        String at = "run " + run + " shape " + shape + " team " + teamId + ": ";
        Map<String, Object> team = counts.team(teamId);
        int status = ((Number) team.get("status")).intValue();
        int lock = ((Number) team.get("lock_count")).intValue();
        int complete = ((Number) team.get("complete_count")).intValue();
        int live = rows(teamId, "status IN (0, 1)");
        int paid = rows(teamId, "status = 1");
        int locked = rows(teamId, "status = 0");
        if (lock != live || complete != paid) {
            problems.add(at + "counts " + team + " live " + live + " paid " + paid);
        }
        if (complete < 0 || complete > lock || lock > 3) {
            problems.add(at + "bounds " + team);
        }
        boolean consistent = switch (status) {
            case 0 -> complete < 3;
            case 1 -> complete == 3;
            case 2 -> locked == 0;
            case 3 -> complete > 0 && complete < 3 && locked == 0;
            default -> false;
        };
        if (!consistent) {
            problems.add(at + "status " + team + " locked " + locked);
        }
        int redis = counts.redisPlaces(teamId);
        if (redis != lock) {
            problems.add(at + "redis " + redis + " db " + lock + " " + team);
        }
        int settlementTasks = counts.tasks(teamId, "trade_settlement");
        boolean everComplete = status == 1
                || status == 3
                || jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = "
                                        + "'trade_paid_team2refund'",
                                Integer.class,
                                teamId)
                        > 0;
        if (settlementTasks != (everComplete ? 1 : 0)) {
            problems.add(at + "settlement tasks " + settlementTasks + " status " + status);
        }
        // One refund callback per closed order and channel, whatever its kind.
        List<Map<String, Object>> perOrder = jdbc.queryForList(
                "SELECT l.order_id, l.status, COUNT(t.id) AS n, GROUP_CONCAT(t.notify_category) AS cats "
                        + "FROM group_buy_order_list l LEFT JOIN notify_task t ON t.team_id = l.team_id AND "
                        + "t.notify_type = 'HTTP' AND t.notify_category <> 'trade_settlement' AND t.task_key LIKE "
                        + "CONCAT('%', l.order_id, '%') WHERE l.team_id = ? GROUP BY l.order_id, l.status",
                teamId);
        for (Map<String, Object> row : perOrder) {
            int st = ((Number) row.get("status")).intValue();
            int n = ((Number) row.get("n")).intValue();
            if ((st == 2 && n != 1) || (st == 0 && n != 0) || n > 1) {
                problems.add(at + "order callbacks " + row);
            }
        }
    }

    private static void check(JsonNode answer, String code) {
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo(code);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int rows(String teamId, String condition) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND " + condition, Integer.class, teamId);
    }
}
