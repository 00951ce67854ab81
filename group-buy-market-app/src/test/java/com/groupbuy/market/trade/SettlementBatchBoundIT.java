package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TimedAnswer.timed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.BoundWaits;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TimedAnswer;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A settlement batch whose statement waited for a row lock until the statement bound ({@code max_statement_time}, 10 s
 * in production, 4 s here) is rolled back and each settlement written alone; the one whose order row is still held
 * must not wait a second whole bound alone: its caller's whole wait stays near one bound and it is answered E0401
 * (503, Retry-After), nothing of it written, while its batch neighbour is paid. Sent again once the row is free, it is
 * paid, once. Another transaction holds one order's row while that order and another team's order settle in one batch
 * (a 500 ms window puts them together). That each caller waited one bound and no second is told by what happened
 * (BoundWaits: one batch rolled back, each E0401 cut short by its brief timeout), not by a time bound of one bound +
 * 3.5 s, which sat between the 4.3-5.6 s normal and main's 8 s. Proved to fail on main: the held order's caller
 * waited 8 s (the batch's bound, then its own lone write's), then E0401.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "gbm.settlement.group-commit.enabled=true",
            "gbm.settlement.group-commit.max-wait=500ms",
            "gbm.places.on-start=false",
            "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=4"
        })
class SettlementBatchBoundIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamCounts counts;

    @Autowired
    MeterRegistry meters;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aBatchThatWaitedItsBoundDoesNotMakeItsCallersWaitASecondBound(CapturedOutput output) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16975, "http://127.0.0.1:1/cb");
        String held = mall.team("bb-a1", "bb-a2");
        String free = mall.team("bb-b1", "bb-b2");
        BoundWaits waits = BoundWaits.from(meters, "settlement", output, TradeClient.SETTLEMENT);

        TimedAnswer stuck;
        TimedAnswer neighbour;
        try (RowLockHolder other = RowLockHolder.open(dataSource, jdbc)) {
            other.lock(
                    "SELECT id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ? FOR UPDATE",
                    "bb-a1",
                    "out-bb-a1");
            Future<TimedAnswer> a = pool.submit(timed("SettlementBatchBoundIT bb-a1", () -> settle("bb-a1")));
            Future<TimedAnswer> b = pool.submit(timed("SettlementBatchBoundIT bb-b1", () -> settle("bb-b1")));
            other.awaitWaiter(); // the batch waits for the held order's row
            stuck = a.get(60, TimeUnit.SECONDS);
            neighbour = b.get(60, TimeUnit.SECONDS);
            other.rollback();
        }

        JsonNode stuckBody = stuck.body();
        assertThat(stuckBody.path("code").asText())
                .as("answer %s after %d ms", stuck.body(), stuck.millis())
                .isEqualTo("E0401");
        assertThat(stuck.status()).isEqualTo(503);
        assertThat(stuck.answer().headers().firstValue("Retry-After")).isPresent();
        assertThat(TestJson.fields(stuckBody)).containsExactly("code", "info", "data");
        assertThat(counts.orderStatus("bb-a1")).as("nothing of it written").isZero();
        assertThat(counts.team(held)).containsEntry("complete_count", 0);

        assertThat(neighbour.body().path("code").asText())
                .as("neighbour answer %s after %d ms", neighbour.body(), neighbour.millis())
                .isEqualTo("0000");
        // The held order's caller waited one statement bound, not one for the batch and one alone.
        waits.assertOneBoundWaited(1);
        assertThat(counts.orderStatus("bb-b1")).isEqualTo(1);
        assertThat(counts.team(free)).containsEntry("complete_count", 1);

        // Sent again once the row is free: paid, once, and a repeat answers as the first did.
        assertThat(mall.settle("bb-a1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("bb-a1").path("code").asText()).isEqualTo("0000");
        assertThat(counts.orderStatus("bb-a1")).isEqualTo(1);
        assertThat(counts.team(held)).containsEntry("complete_count", 1);
    }

    /**
     * The settlements that queued behind the batch while it waited are not made to wait behind a second batch that
     * waits as long on the same row: another transaction holds a team's row, a batch paying a member of it waits its
     * bound, and meanwhile another member of that team and an order of another team queue. The other team's is paid
     * and every caller's wait stays near one bound; those of the held team are answered E0401, nothing written. Proved
     * to fail on main: the other team's order, queued, waited 8 s (the rest of the first batch's bound, then a whole
     * bound in the next batch with the held team's second member), its neighbour of the held team 12 s.
     */
    @Test
    void settlementsQueuedBehindABatchThatWaitedItsBoundDoNotWaitASecondBound(CapturedOutput output) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16976, "http://127.0.0.1:1/cb");
        String held = mall.team("bq-c1", "bq-c2");
        String other = mall.team("bq-d1");
        String queuedTeam = mall.team("bq-e1");
        BoundWaits waits = BoundWaits.from(meters, "settlement", output, TradeClient.SETTLEMENT);

        TimedAnswer c1;
        TimedAnswer d1;
        TimedAnswer c2;
        TimedAnswer e1;
        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc)) {
            holder.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", held);
            Future<TimedAnswer> c1f = pool.submit(timed("SettlementBatchBoundIT bq-c1", () -> settle("bq-c1")));
            Future<TimedAnswer> d1f = pool.submit(timed("SettlementBatchBoundIT bq-d1", () -> settle("bq-d1")));
            holder.awaitWaiter(); // the batch of c1 and d1 holds their orders and waits for the held team's row
            Future<TimedAnswer> c2f = pool.submit(timed("SettlementBatchBoundIT bq-c2", () -> settle("bq-c2")));
            Future<TimedAnswer> e1f = pool.submit(timed("SettlementBatchBoundIT bq-e1", () -> settle("bq-e1")));
            c1 = c1f.get(60, TimeUnit.SECONDS);
            d1 = d1f.get(60, TimeUnit.SECONDS);
            c2 = c2f.get(60, TimeUnit.SECONDS);
            e1 = e1f.get(60, TimeUnit.SECONDS);
            holder.rollback();
        }

        for (TimedAnswer paid : new TimedAnswer[] {d1, e1}) {
            assertThat(paid.body().path("code").asText())
                    .as("answer %s after %d ms", paid.body(), paid.millis())
                    .isEqualTo("0000");
        }
        for (TimedAnswer busy : new TimedAnswer[] {c1, c2}) {
            assertThat(busy.body().path("code").asText())
                    .as("answer %s after %d ms", busy.body(), busy.millis())
                    .isEqualTo("E0401");
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.answer().headers().firstValue("Retry-After")).isPresent();
        }
        // Every caller waited one statement bound, none a second one in the next batch or alone.
        waits.assertOneBoundWaited(2);
        assertThat(counts.team(held)).containsEntry("complete_count", 0);
        assertThat(counts.orderStatus("bq-c1")).isZero();
        assertThat(counts.orderStatus("bq-c2")).isZero();
        assertThat(counts.team(other)).containsEntry("complete_count", 1);
        assertThat(counts.team(queuedTeam)).containsEntry("complete_count", 1);

        assertThat(mall.settle("bq-c1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("bq-c2").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("bq-c2").path("code").asText()).isEqualTo("0000");
        assertThat(counts.team(held)).containsEntry("complete_count", 2);
    }

    private HttpResponse<String> settle(String user) throws Exception {
        return TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now()));
    }
}
