package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamExpiry;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A big team's expiry (teams may have up to 10,000 members) writes its decision in a few statements: the unpaid
 * members closed by bounded multi-row guarded UPDATEs and the refund callbacks by bounded multi-row INSERTs, not one
 * statement per member and per callback inside the transaction that holds the team's and every member's row (500
 * members held them for 1.9 s). The members are inserted as rows, the expiry runs through the real service, and its
 * statements are counted by MariaDB ({@code Questions} of the transaction's connection, which the expiry joins). A
 * decision the rows do not match (a member closed that is not unpaid) is refused by the guard and nothing is written.
 * {@code -Dbigexpiry.members=N} sizes the team for a measurement (printed as {@code BIG EXPIRY ...}), and
 * {@code -Dbigexpiry.warmups=W} expires W such teams first.
 */
@SharedContextIntegrationTest
class BigTeamExpiryIT {

    private static final String RECEIVER = "http://127.0.0.1:1/cb";
    private static final int MEMBERS = Integer.getInteger("bigexpiry.members", 2000);
    /** Teams expired (and printed) before the one checked, for a measurement on a warm JVM; none in CI. */
    private static final int WARM_UPS = Integer.getInteger("bigexpiry.warmups", 0);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    /** The app's pool (the tests' JdbcTemplate wraps it, so its statements do not join the app's transactions). */
    @Autowired
    DataSource dataSource;

    @Autowired
    TradeRefundService refunds;

    @Autowired
    IRefundRepository repository;

    @Autowired
    NotifyRoutes routes;

    @Test
    void aBigTeamsExpiryClosesEveryUnpaidMemberAndWritesEachCallbackOnceInAFewStatements() throws Exception {
        for (int i = 0; i < WARM_UPS; i++) {
            expireCounting(bigTeamPastItsEnd(16810 + i, "warm" + i), new long[1]);
        }
        String teamId = bigTeamPastItsEnd(16801, "big");
        int paid = paidMembers(teamId);

        long[] questions = new long[1];
        TeamExpiryVO expiry = expireCounting(teamId, questions);

        int unpaid = MEMBERS - paid;
        assertThat(expiry.closedOrderIds()).hasSize(unpaid);
        assertThat(count(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 2 "
                                + "AND biz_id IS NULL",
                        teamId))
                .as("unpaid members closed, their takes freed")
                .isEqualTo(unpaid);
        assertThat(count("SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 1", teamId))
                .as("paid members kept")
                .isEqualTo(paid);
        assertThat(jdbc.queryForMap(
                        "SELECT status, lock_count, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 2)
                .containsEntry("lock_count", paid)
                .containsEntry("complete_count", paid);

        String firstOrder = jdbc.queryForObject(
                "SELECT order_id FROM group_buy_order_list WHERE team_id = ? ORDER BY id LIMIT 1",
                String.class,
                teamId);
        int perMember = count(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND task_key LIKE CONCAT('%:', ?, '%')",
                teamId, firstOrder);
        assertThat(perMember).as("callbacks of one member").isPositive();
        assertThat(count("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", teamId))
                .as("every member told, each once per channel")
                .isEqualTo(MEMBERS * perMember);
        assertThat(new HashSet<>(expiry.taskIds()))
                .as("the callbacks' ids, each once")
                .hasSize(MEMBERS * perMember)
                .containsExactlyInAnyOrderElementsOf(
                        jdbc.queryForList("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId));
        // Before: one UPDATE per unpaid member and one INSERT (two on a taken key) per callback, some 5,500 for 2,000.
        assertThat(questions[0])
                .as("statements of the expiry")
                .isLessThanOrEqualTo(10 + 2L * (MEMBERS * perMember / 500 + 1) + MEMBERS / 1000);
    }

    @Test
    void aCloseTheRowsDoNotMatchIsRefusedAndNothingIsWritten() throws Exception {
        String teamId = bigTeamPastItsEnd(16802, "stale");
        int paid = paidMembers(teamId);
        Instant now = Instant.now();

        // A stale decision: every live member taken for unpaid, the paid ones too; their rows say PAID.
        assertThatThrownBy(() -> repository.expireTeam(
                        teamId,
                        now,
                        (team, members) ->
                                team.expire(now, members, routes).map(decided -> closingEveryone(decided, members))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("under lock");

        assertThat(jdbc.queryForMap("SELECT status, lock_count FROM group_buy_order WHERE team_id = ?", teamId))
                .as("the team untouched")
                .containsEntry("status", 0)
                .containsEntry("lock_count", MEMBERS);
        assertThat(count("SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 0", teamId))
                .as("no member closed")
                .isEqualTo(MEMBERS - paid);
        assertThat(count("SELECT COUNT(*) FROM notify_task WHERE team_id = ?", teamId))
                .as("no callback written")
                .isZero();
    }

    /** The expiry through the real service, its statements counted into {@code questions[0]}; prints a line. */
    private TeamExpiryVO expireCounting(String teamId, long[] questions) {
        long started = System.nanoTime();
        TeamExpiryVO expiry = transaction.execute(status -> {
            long before = questions();
            TeamExpiryVO written = refunds.expireTeam(teamId, Instant.now());
            questions[0] = questions() - before - 1; // less the second reading itself
            return written;
        });
        double millis = (System.nanoTime() - started) / 1e6;
        System.out.printf("BIG EXPIRY members=%d statements=%d ms=%.0f%n", MEMBERS, questions[0], millis);
        return expiry;
    }

    private static TeamExpiry closingEveryone(TeamExpiry decided, List<TeamMember> members) {
        List<String> everyone = new ArrayList<>();
        members.forEach(member -> everyone.add(member.orderId()));
        return new TeamExpiry(
                decided.teamFrom(),
                decided.teamTo(),
                OrderStatus.LOCKED,
                decided.orderTo(),
                everyone,
                decided.callbacks());
    }

    /**
     * A team of {@link #MEMBERS}: one locked over HTTP, the others inserted as its member rows, every fourth paid;
     * its counts to match, and its window ended an hour ago.
     */
    private String bigTeamPastItsEnd(long activityId, String prefix) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        String teamId = mall.team(prefix + "0");
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no,"
                        + " biz_id) "
                        + "SELECT CONCAT(?, seq), l.team_id, CONCAT(?, LPAD(seq, 7, '0')), l.activity_id, l.start_time,"
                        + " l.end_time, l.goods_id, l.source, l.channel, l.original_price, l.deduction_price,"
                        + " l.pay_price, IF(seq MOD 4 = 0, 1, 0), CONCAT('out-', ?, seq),"
                        + " IF(seq MOD 4 = 0, NULL, CONCAT(?, '-', seq)) "
                        + "FROM group_buy_order_list l JOIN seq_1_to_" + (MEMBERS - 1) + " WHERE l.team_id = ?",
                prefix,
                activityId % 10_000 + "9",
                prefix,
                prefix + activityId,
                teamId);
        int paid = paidMembers(teamId);
        jdbc.update(
                "UPDATE group_buy_order SET target_count = ?, lock_count = ?, complete_count = ?, "
                        + "valid_start_time = UTC_TIMESTAMP(3) - INTERVAL 2 HOUR, "
                        + "valid_end_time = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR WHERE team_id = ?",
                MEMBERS + 1,
                MEMBERS,
                paid,
                teamId);
        jdbc.execute("ANALYZE TABLE group_buy_order_list");
        return teamId;
    }

    private int paidMembers(String teamId) {
        return count("SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ? AND status = 1", teamId);
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    /** Statements sent so far on the connection of the transaction open on this thread. */
    private long questions() {
        return new JdbcTemplate(dataSource)
                .queryForObject("SHOW SESSION STATUS LIKE 'Questions'", (rs, i) -> rs.getLong(2));
    }
}
