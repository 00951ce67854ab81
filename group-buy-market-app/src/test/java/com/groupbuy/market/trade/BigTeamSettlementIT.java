package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TimedAnswer.timed;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.repository.SettlementGroupCommit;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TimedAnswer;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A big team's completion (its callback lists every member: ~1 MB for 10,000) is written alone by its caller, never in
 * the settlement writer's shared batch, so the other teams' settlements arriving with it are written and answered
 * without waiting for its transaction. Told by the rows, not by time: a transaction of the test holds what the big
 * completion needs (its team's row, or its callback's task key) while the completion waits for it; the small teams'
 * settlements sent together with it (a 500 ms window puts them in one batch) must be answered 0000 and committed
 * while it still waits, and no batch may have been rolled back for it. On main the batch held the big team's payment:
 * it waited on the held row for its statement bound (10 s), was rolled back and only then were the small ones written,
 * each alone (a fallback counted): both tests failed so, the small teams' payments answered after 10.5-11.4 s.
 */
@IntegrationTest
@TestPropertySource(
        properties = {"gbm.settlement.group-commit.enabled=true", "gbm.settlement.group-commit.max-wait=500ms"})
class BigTeamSettlementIT {

    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final int MEMBERS = 1000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TeamCounts counts;

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * The last payment of a team of 1,000 (its read says so) and two small teams' payments (one completing its team of
     * three, its callback in the batch) are sent together while the test holds the big team's row: the small ones are
     * paid, their callback written, and answered while the big completion still waits for the row; released, the big
     * team completes with one callback listing every member, and its repeat is answered as the first.
     */
    @Test
    void smallTeamsAreAnsweredWhileABigTeamsCompletionWaits() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16991, RECEIVER);
        String big = bigTeam(16992, "bt", MEMBERS);
        assertThat(mall.settle("bt-a").path("code").asText()).isEqualTo("0000"); // bt-b now looks like the last
        String open = mall.team("st-a1");
        String closing = mall.team("st-b1", "st-b2", "st-b3");
        assertThat(mall.settle("st-b1").path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("st-b2").path("code").asText()).isEqualTo("0000");
        double fallbacks = fallbacks();

        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc)) {
            holder.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", big);
            Future<TimedAnswer> last = pool.submit(settle("bt-b"));
            List<Future<TimedAnswer>> small = List.of(pool.submit(settle("st-a1")), pool.submit(settle("st-b3")));
            holder.awaitWaiter(last, null); // the big completion waits for the held team row

            for (Future<TimedAnswer> answer : small) {
                TimedAnswer a = answer.get(60, TimeUnit.SECONDS);
                assertThat(a.body().path("code").asText())
                        .as(a.body().toString())
                        .isEqualTo("0000");
                assertThat(TestJson.fields(a.body())).containsExactly("code", "info", "data");
            }
            assertThat(fallbacks())
                    .as("no batch waited for the big team's row and was rolled back")
                    .isEqualTo(fallbacks);
            assertThat(last.isDone()).as("the big completion still waits").isFalse();
            holder.awaitWaiter(last, null); // still waiting on the held row, its transaction open
            assertThat(counts.orderStatus("st-a1"))
                    .as("committed while the big one waits")
                    .isEqualTo(1);
            assertThat(counts.team(open)).containsEntry("complete_count", 1);
            assertThat(counts.team(closing)).containsEntry("status", 1).containsEntry("complete_count", 3);
            assertThat(settlementTasks(closing)).isEqualTo(1);
            assertThat(counts.orderStatus("bt-b"))
                    .as("nothing of the big completion seen yet")
                    .isZero();
            assertThat(settlementTasks(big)).isZero();
            holder.rollback();

            TimedAnswer answer = last.get(60, TimeUnit.SECONDS);
            assertThat(answer.body().path("code").asText())
                    .as(answer.body().toString())
                    .isEqualTo("0000");
        }
        assertCompletedOnce(big, MEMBERS);
        assertThat(mall.settle("bt-b").path("code").asText()).as("a repeat").isEqualTo("0000");
        assertCompletedOnce(big, MEMBERS);
    }

    /**
     * A team of 100 whose last two places are paid in one batch with a small team's payment (neither read counts as
     * its team's last: each read 98 paid of 100): the batch finds on the team's row as locked that it would complete a
     * big team and leaves both out, nothing of them written; the small payment is committed and answered while the
     * completion, written alone by its caller, waits for its callback's task key (held by the test). Each big payment
     * is noticed twice in the batch: the repeats are left out too (refused, the repeat of the completing payment read
     * its order unpaid at once and was answered E0206, the mall told to refund a payment that was then taken).
     * Released, the team completes once with one callback of 100 members, every notice answered 0000.
     */
    @Test
    void aBatchThatWouldCompleteABigTeamLeavesItOut() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 16993, RECEIVER);
        String big = bigTeam(16994, "lv", SettlementGroupCommit.ALONE_FROM_MEMBERS);
        String small = mall.team("lv-s1");
        double fallbacks = fallbacks();

        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc)) {
            holder.insert(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                            + "notify_category, notify_status, parameter_json, next_attempt_time) "
                            + "VALUES (?, ?, 0, ?, 's01', 'c01', 'trade_settlement', 1, '{}', "
                            + "UTC_TIMESTAMP(3) + INTERVAL 1 DAY)",
                    big + ":trade_settlement",
                    "held-" + big,
                    big);
            // The small one first: its arrival opens the batch's window, the others join it.
            Future<TimedAnswer> smallOne = pool.submit(settle("lv-s1"));
            // Each of its payments noticed twice: the repeat of the completing one must not be answered refused
            // while its first, left out of the batch, is still being written.
            List<Future<TimedAnswer>> bigOnes = List.of(
                    pool.submit(settle("lv-a")),
                    pool.submit(settle("lv-b")),
                    pool.submit(settle("lv-a")),
                    pool.submit(settle("lv-b")));

            TimedAnswer a = smallOne.get(60, TimeUnit.SECONDS);
            assertThat(a.body().path("code").asText()).as(a.body().toString()).isEqualTo("0000");
            holder.awaitWaiter(); // the completion's callback insert waits for the held key
            assertThat(fallbacks())
                    .as("no batch waited for the completion's callback and was rolled back")
                    .isEqualTo(fallbacks);
            assertThat(bigOnes).as("the completion still waits").anyMatch(f -> !f.isDone());
            assertThat(counts.orderStatus("lv-s1"))
                    .as("committed while the completion waits")
                    .isEqualTo(1);
            assertThat(counts.team(small)).containsEntry("complete_count", 1);
            holder.rollback();

            for (Future<TimedAnswer> answer : bigOnes) {
                TimedAnswer b = answer.get(60, TimeUnit.SECONDS);
                assertThat(b.body().path("code").asText())
                        .as(b.body().toString())
                        .isEqualTo("0000");
            }
        }
        assertCompletedOnce(big, SettlementGroupCommit.ALONE_FROM_MEMBERS);
        assertThat(counts.lateNotices("lv-a") + counts.lateNotices("lv-b"))
                .as("no payment recorded as refused")
                .isZero();
    }

    private void assertCompletedOnce(String teamId, int members) throws Exception {
        assertThat(counts.team(teamId)).containsEntry("status", 1).containsEntry("complete_count", members);
        assertThat(settlementTasks(teamId)).as("one callback").isEqualTo(1);
        String body = jdbc.queryForObject(
                "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                String.class,
                teamId);
        assertThat(TestJson.JSON.readTree(body).path("outTradeNoList").size())
                .as("every member listed")
                .isEqualTo(members);
    }

    /**
     * A team of {@code members} places of a fresh activity: {@code <prefix>-a} and {@code <prefix>-b} locked over HTTP,
     * the others inserted as their rows, paid (multi-row SQL, as BigTeamExpiryIT), the team's counts to match.
     */
    private String bigTeam(long activityId, String prefix, int members) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", members, activityId);
        String teamId = mall.team(prefix + "-a", prefix + "-b");
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no,"
                        + " out_trade_time) "
                        + "SELECT CONCAT(?, seq), l.team_id, CONCAT(?, LPAD(seq, 7, '0')), l.activity_id, l.start_time,"
                        + " l.end_time, l.goods_id, l.source, l.channel, l.original_price, l.deduction_price,"
                        + " l.pay_price, 1, CONCAT('out-', ?, seq), NOW(3) "
                        + "FROM group_buy_order_list l JOIN seq_1_to_" + (members - 2)
                        + " WHERE l.team_id = ? AND l.user_id = ?",
                prefix,
                activityId % 10_000 + "8",
                prefix,
                teamId,
                prefix + "-a");
        jdbc.update(
                "UPDATE group_buy_order SET lock_count = ?, complete_count = ? WHERE team_id = ?",
                members,
                members - 2,
                teamId);
        assertThat(jdbc.queryForObject(
                        "SELECT target_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(members);
        return teamId;
    }

    private Callable<TimedAnswer> settle(String user) {
        return timed(
                "BigTeamSettlementIT " + user,
                () -> TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now())));
    }

    private int settlementTasks(String teamId) {
        Integer n = jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement'",
                Integer.class,
                teamId);
        return n == null ? 0 : n;
    }

    private double fallbacks() {
        return meters.get("gbm.settlement.group.commit.fallbacks").counter().count();
    }
}
