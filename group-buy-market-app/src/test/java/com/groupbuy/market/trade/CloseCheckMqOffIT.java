package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.job.TimeoutRunMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An MQ-off deployment (#15): locks write no close checks and never fail for want of a broker; the polling job closes
 * on time by itself (no backstop margin, nothing counted as found late), and a partner's payment grace holds for it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.mq.enabled=false",
            "gbm.close-check.enabled=true",
            "gbm.timeout.unpaid-timeout=1s",
            "gbm.close-check.backstop-margin=1h",
            "gbm.close-check.payment-grace.s02.c02=1h",
            // Small pages, so a page of teams that cannot expire costs five teams (every test here passes pages).
            "gbm.timeout.page-size=5"
        })
class CloseCheckMqOffIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    MeterRegistry meters;

    @Test
    void withMqOffLocksWriteNoCheckAndThePollingJobClosesOnTime() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9301, "http://127.0.0.1:9/callback");
        String teamId = mall.team("m1");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY'", Integer.class))
                .isZero();
        awaitPastTimeout("m1");
        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();

        assertThat(run.closedUnpaid())
                .as("closed at its timeout: the 1 h backstop margin is for the delay path only")
                .isEqualTo(1);
        assertThat(run.foundLate()).isZero();
        assertThat(meters.get(TimeoutRunMeter.METER)
                        .tag("kind", "order")
                        .counter()
                        .count())
                .as("closing on time without a delay path is not late")
                .isZero();
        assertThat(counts.orderStatus("m1")).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isZero();
    }

    @Test
    void aPartnersPaymentGraceKeepsItsLockOpenPastTheTimeout() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9302, "http://127.0.0.1:9/callback");
        mall.team("g1");
        // The team and its member both s02/c02's: the grace is the order's own partner's (the mall whose notice we wait
        // for), as the test below shows with a mixed team.
        jdbc.update("UPDATE group_buy_order SET source = 's02', channel = 'c02' WHERE activity_id = 9302");
        jdbc.update("UPDATE group_buy_order_list SET source = 's02', channel = 'c02' WHERE activity_id = 9302");
        // Past the timeout, so only the grace can keep it open.
        awaitPastTimeout("g1");

        timeoutService.execTimeoutCloseJob();
        assertThat(counts.orderStatus("g1")).as("s02/c02 has an hour's grace").isEqualTo(0);

        jdbc.update("UPDATE group_buy_order_list SET create_time = create_time - INTERVAL 2 HOUR WHERE user_id = 'g1'");
        timeoutService.execTimeoutCloseJob();
        assertThat(counts.orderStatus("g1")).as("past timeout + grace").isEqualTo(2);
    }

    /**
     * In a team mixed before teams were kept to their partner, each member waits for its own partner's grace (its
     * lock's close check was given its own): the job closed an s02/c02 buyer in an s01/c01 team at s01's timeout (its
     * payment then answered E0208, "refund the buyer", inside the hour s02 was promised), and kept an s01/c01 buyer in
     * an s02/c02 team open for s02's hour.
     */
    @Test
    void aMixedTeamsMemberWaitsForItsOwnPartnersGraceNotItsTeams() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9303, "http://127.0.0.1:9/callback");
        mall.team("x1");
        // s02/c02's buyer in s01/c01's team.
        jdbc.update("UPDATE group_buy_order_list SET source = 's02', channel = 'c02' WHERE activity_id = 9303");
        TradeClient other = TradeClient.onNewGoods(port, jdbc, 9304, "http://127.0.0.1:9/callback");
        other.team("x2");
        // s01/c01's buyer in s02/c02's team.
        jdbc.update("UPDATE group_buy_order SET source = 's02', channel = 'c02' WHERE activity_id = 9304");
        awaitPastTimeout("x1", "x2");

        timeoutService.execTimeoutCloseJob();

        assertThat(counts.orderStatus("x1"))
                .as("an s02/c02 buyer has s02's hour")
                .isEqualTo(0);
        assertThat(counts.orderStatus("x2")).as("an s01/c01 buyer has no grace").isEqualTo(2);
    }

    /**
     * The job pages past locks it leaves: a page (100) of s02/c02 locks within their hour's grace, read first as the
     * oldest, held back every other partner's overdue lock behind them, since a page that closed nothing ended the run
     * and the next run read the same page again: an s01/c01 buyer's lock (no grace) stayed open, its team place taken,
     * until s02's hour was over.
     */
    @Test
    void aPageOfLocksStillInTheirPartnersGraceDoesNotHoldBackTheOverdueLocksBehindIt() throws Exception {
        TradeClient graced = TradeClient.onNewGoods(port, jdbc, 9305, "http://127.0.0.1:9/callback");
        graced.team("pg1");
        jdbc.update("UPDATE group_buy_order SET source = 's02', channel = 'c02' WHERE activity_id = 9305");
        jdbc.update("UPDATE group_buy_order_list SET source = 's02', channel = 'c02', "
                + "create_time = create_time - INTERVAL 10 MINUTE WHERE activity_id = 9305");
        // 120 more s02/c02 locks like pg1's (ten minutes past the timeout, inside the hour), in its open team.
        jdbc.update("INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no, "
                + "create_time) "
                + "SELECT CONCAT('pg-', seq), team_id, CONCAT('pg', LPAD(seq, 10, '0')), activity_id, start_time, "
                + "end_time, goods_id, source, channel, original_price, deduction_price, pay_price, status, "
                + "CONCAT('pg-out-', seq), create_time FROM group_buy_order_list, seq_1_to_120 "
                + "WHERE user_id = 'pg1' AND activity_id = 9305");
        TradeClient due = TradeClient.onNewGoods(port, jdbc, 9306, "http://127.0.0.1:9/callback");
        String teamId = due.team("pd1");
        awaitPastTimeout("pd1");

        try {
            timeoutService.execTimeoutCloseJob();

            assertThat(counts.orderStatus("pd1"))
                    .as("s01/c01's lock, past its timeout, behind a page of s02/c02's still in their grace")
                    .isEqualTo(2);
            assertThat(counts.redisPlaces(teamId)).isZero();
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = 9305 AND status = 0",
                            Integer.class))
                    .as("s02/c02's locks keep their grace")
                    .isEqualTo(121);
        } finally {
            jdbc.update("UPDATE group_buy_order_list SET status = 2, biz_id = NULL WHERE activity_id = 9305");
        }
    }

    /**
     * The job pages past teams it could not expire: a page (5 here) of overdue teams whose expiry fails every time
     * (their place count disagrees with their locked member, so the guarded write refuses), read first as the oldest,
     * ended every run, since each run read from the oldest and a page that changed nothing ended it: no later team of
     * the shard expired again. Now the run ends at that page and the next one starts after it.
     */
    @Test
    void aPageOfTeamsThatCannotExpireDoesNotHoldBackTheTeamsBehindIt() throws Exception {
        TradeClient broken = TradeClient.onNewGoods(port, jdbc, 9307, "http://127.0.0.1:9/callback");
        for (int i = 1; i <= 6; i++) {
            broken.team("tb" + i);
        }
        jdbc.update("UPDATE group_buy_order SET lock_count = 0, valid_end_time = NOW(3) - INTERVAL 1 DAY "
                + "WHERE activity_id = 9307");
        TradeClient due = TradeClient.onNewGoods(port, jdbc, 9308, "http://127.0.0.1:9/callback");
        String teamId = due.team("td1");
        jdbc.update("UPDATE group_buy_order SET valid_end_time = NOW(3) - INTERVAL 1 HOUR WHERE activity_id = 9308");

        try {
            TimeoutRunSummary first = timeoutService.execTimeoutCloseJob();
            assertThat(first.skipped()).as("a page of teams that cannot expire").isGreaterThanOrEqualTo(5);
            timeoutService.execTimeoutCloseJob();

            assertThat(jdbc.queryForObject(
                            "SELECT status FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                    .as("the team behind them, past its validity")
                    .isEqualTo(2);
            assertThat(counts.orderStatus("td1")).isEqualTo(2);
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = 9307 AND status = 0",
                            Integer.class))
                    .as("the teams that cannot expire stay open")
                    .isEqualTo(6);
        } finally {
            jdbc.update("UPDATE group_buy_order SET status = 2 WHERE activity_id IN (9307, 9308)");
            jdbc.update("UPDATE group_buy_order_list SET status = 2, biz_id = NULL WHERE activity_id = 9307");
        }
    }

    /**
     * Until these buyers' locks are past the 1 s unpaid timeout as the job reads them: locked before now less the
     * timeout, the bound the job pages by (no backstop margin with the delay path off, no grace shorter than none). A
     * run started after this takes them (its bound is later still), however slow the machine. It replaces a sleep of
     * 1.2 s: the same wait, now stated as what it waits for and checked on the lock's stored time.
     */
    private void awaitPastTimeout(String... users) throws InterruptedException {
        String in = String.join(",", Collections.nCopies(users.length, "?"));
        TestJson.await(() -> {
            List<Object> args = new ArrayList<>(List.of((Object[]) users));
            args.add(Timestamp.from(Instant.now().minusSeconds(1)));
            return jdbc.queryForObject(
                            "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id IN (" + in + ")"
                                    + " AND create_time < ?",
                            Integer.class,
                            args.toArray())
                    == users.length;
        });
    }
}
