package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
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
