package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyRefundDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.support.InnodbLockWaits;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A refund of an unpaid order that arrives while its team's expiry holds the member rows waits for the expiry and then
 * answers {@code repeat}, on a table of mostly closed orders (the normal state of a live database). The refund's close
 * names its row by order id but also filters on the order's state, which has an index of its own
 * (idx_status_create): with few unpaid orders in the table MariaDB 10.11 read the close through that index, locking
 * the order's entry there before its row, while the expiry, holding the row, must change that entry to close it — a
 * deadlock, answered 500 0001 to the mall (since DeadlockVictims, the refund is written again and answered repeat
 * too: only its log tells it). The expiry's own statements run here through the application's mapper in a
 * transaction the test holds open; the refund comes over HTTP.
 */
@SharedContextIntegrationTest
class RefundDuringExpiryIT {

    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    IGroupBuyRefundDao refunds;

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aRefundArrivingWhileTheExpiryHoldsTheOrderWaitsAndRepeats(CapturedOutput output) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16301, RECEIVER);
        String teamId = mall.team("c1");
        jdbc.update("INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no) "
                + "SELECT CONCAT('closed', seq), CONCAT('8', LPAD(seq, 7, '0')), CONCAT('9', LPAD(seq, 11, '0')), 1, "
                + "UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 'g', 's01', 'c01', 100, 20, 80, 2, CONCAT('out-closed', seq) "
                + "FROM seq_1_to_600");
        jdbc.execute("ANALYZE TABLE group_buy_order_list");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<JsonNode> refund;
            List<GroupBuyOrderListPO> members;
            var expiry = transaction.getTransactionManager().getTransaction(transaction);
            try {
                members = refunds.lockLiveMembers(teamId, List.of(0, 1));
                refund = pool.submit(() -> mall.refund("c1"));
                // The refund reaches its close and waits for the row the expiry holds: told by InnoDB, not guessed by
                // a sleep (a slow machine's refund had not reached it yet, and the race was never run).
                awaitRefundWaitingFor(members, refund);
                assertThat(refunds.closeLockedMembers(List.of(members.get(0).getId()), 0, 2))
                        .isEqualTo(1);
                assertThat(refunds.releaseUnpaidPlaces(teamId, 1)).isEqualTo(1);
            } catch (Exception | Error e) {
                transaction.getTransactionManager().rollback(expiry);
                throw e;
            }
            transaction.getTransactionManager().commit(expiry);

            JsonNode answer = refund.get(10, TimeUnit.SECONDS);
            assertThat(answer.path("code").asText()).isEqualTo("0000");
            assertThat(answer.path("data").path("code").asText()).isEqualTo("repeat");
            // Waited, not deadlocked: since DeadlockVictims writes a victim again, the deadlock's refund is answered
            // repeat too, and only its log line tells it.
            assertThat(output.getOut().lines().filter(line -> line.contains("team=" + teamId + " deadlock victim")))
                    .as("the refund waited for the expiry and did not deadlock with it")
                    .isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Until a transaction other than the expiry's (this thread's, whose connection {@code jdbc} uses inside it) waits
     * for one of its member rows; fails at once when the refund is answered first, and after 30 s.
     */
    private void awaitRefundWaitingFor(List<GroupBuyOrderListPO> members, Future<JsonNode> refund) throws Exception {
        long expiry = jdbc.queryForObject("SELECT CONNECTION_ID()", Long.class);
        List<Long> ids = members.stream().map(GroupBuyOrderListPO::getId).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (InnodbLockWaits.waitingFor(jdbc, expiry, "group_buy_order_list", ids)
                .isEmpty()) {
            if (refund.isDone()) {
                throw new AssertionError("the refund was answered before it waited for the expiry: " + refund.get());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the refund did not wait for the expiry's rows in 30 s: "
                        + InnodbLockWaits.ofThisDatabase(jdbc));
            }
            Thread.sleep(50);
        }
    }
}
