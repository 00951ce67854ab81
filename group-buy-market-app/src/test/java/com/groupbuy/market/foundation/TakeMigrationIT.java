package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import db.migration.V18__old_format_takes_rewritten;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLIntegrityConstraintViolationException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V13 on a database that holds takes written before it, in the old biz id format ({@code activity_user_sequence}): a
 * take held before the upgrade still counts after it. Every live take is rewritten into the format the lock writes
 * now (which names the partner), so the user's second lock at the same partner still collides with the first in
 * {@code uq_biz_id} — an upgrade never lets a user past the take limit — while the same user id at another partner
 * takes its own.
 */
class TakeMigrationIT {

    private static final long ACTIVITY = 7001;
    private final MigrationDatabase database = MigrationDatabase.create("gbm_mig13_");

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void aTakeHeldBeforeTheUpgradeStillRefusesTheUsersSecondTakeAfterIt() throws Exception {
        flyway(MigrationVersion.fromVersion("12")).migrate();
        // Written by the previous version: s01's "u_1" (an underscore, as the old format's separator) holds take 1,
        // s01's "v" holds takes 1 and 2 (one paid), a closed order holds none.
        order("000000000001", "s01", "c01", "u_1", "o1", 0, ACTIVITY + "_u_1_1");
        order("000000000002", "s01", "c01", "v", "o2", 0, ACTIVITY + "_v_1");
        order("000000000003", "s01", "c01", "v", "o3", 1, ACTIVITY + "_v_2");
        order("000000000004", "s01", "c01", "w", "o4", 2, null);

        assertThat(flyway(MigrationVersion.LATEST).migrate().success).isTrue();

        assertThat(bizId("000000000001")).isEqualTo(takeOf("s01", "c01", "u_1", 1));
        assertThat(bizId("000000000002")).isEqualTo(takeOf("s01", "c01", "v", 1));
        assertThat(bizId("000000000003")).isEqualTo(takeOf("s01", "c01", "v", 2));
        assertThat(bizId("000000000004")).isNull();
        // The lock after the upgrade: s01's u_1 racing past the count would write take 1 again, and is refused.
        assertThatThrownBy(() -> order("000000000005", "s01", "c01", "u_1", "o5", 0, takeOf("s01", "c01", "u_1", 1)))
                .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                .hasMessageContaining("uq_biz_id");
        assertThatThrownBy(() -> order("000000000006", "s01", "c01", "v", "o6", 0, takeOf("s01", "c01", "v", 2)))
                .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                .hasMessageContaining("uq_biz_id");
        // Another partner's u_1 is another person: its take 1 is its own.
        order("000000000007", "s02", "c02", "u_1", "o1", 0, takeOf("s02", "c02", "u_1", 1));
        assertThat(bizId("000000000007")).isEqualTo(takeOf("s02", "c02", "u_1", 1));
    }

    /**
     * V18: takes an instance older than V13 kept writing after V13 ran (a rolling V13 deploy) are rewritten too, so
     * they collide with their user's next take again; a take whose new id a new instance wrote meanwhile (the same
     * user's same take: the limit was passed already) is left for an operator, and a second run changes nothing.
     */
    @Test
    void oldFormatTakesWrittenAfterV13AreRewrittenByV18AndATakeHeldTwiceIsLeftAsItIs() throws Exception {
        flyway(MigrationVersion.fromVersion("16")).migrate();
        order("000000000001", "s01", "c01", "u_1", "o1", 0, ACTIVITY + "_u_1_1");
        order("000000000002", "s01", "c01", "v", "o2", 0, takeOf("s01", "c01", "v", 1));
        order("000000000003", "s01", "c01", "v", "o3", 0, ACTIVITY + "_v_1");
        order("000000000004", "s02", "c02", "w", "o4", 1, ACTIVITY + "_w_2");

        assertThat(flyway(MigrationVersion.LATEST).migrate().success).isTrue();

        assertThat(bizId("000000000001")).isEqualTo(takeOf("s01", "c01", "u_1", 1));
        assertThat(bizId("000000000002")).isEqualTo(takeOf("s01", "c01", "v", 1));
        assertThat(bizId("000000000003")).as("held twice: left as it was").isEqualTo(ACTIVITY + "_v_1");
        assertThat(bizId("000000000004")).isEqualTo(takeOf("s02", "c02", "w", 2));
        assertThatThrownBy(() -> order("000000000005", "s01", "c01", "u_1", "o5", 0, takeOf("s01", "c01", "u_1", 1)))
                .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                .hasMessageContaining("uq_biz_id");
        try (Connection c = DriverManager.getConnection(db(), "root", "")) {
            assertThat(V18__old_format_takes_rewritten.rewrite(c))
                    .as("a second run")
                    .isEqualTo(new V18__old_format_takes_rewritten.Result(0, 1));
        }
    }

    @Test
    void theWidestTakeFits() throws Exception {
        flyway(MigrationVersion.LATEST).migrate();
        String user = "u".repeat(32);
        String source = "s".repeat(16);
        String channel = "c".repeat(16);

        order("000000000001", source, channel, user, "o1", 0, takeOf(Long.MIN_VALUE, source, channel, user, 99));

        assertThat(bizId("000000000001")).isEqualTo(takeOf(Long.MIN_VALUE, source, channel, user, 99));
    }

    /** The biz id the lock writes for this take (the code's own format). */
    private static String takeOf(String source, String channel, String userId, int sequence) {
        return takeOf(ACTIVITY, source, channel, userId, sequence);
    }

    private static String takeOf(long activityId, String source, String channel, String userId, int sequence) {
        return LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .activityId(activityId)
                        .source(source)
                        .channel(channel)
                        .userId(userId)
                        .build())
                .takeSequence(sequence)
                .build()
                .bizId();
    }

    private void order(
            String orderId, String source, String channel, String userId, String outTradeNo, int status, String bizId)
            throws Exception {
        try (Connection c = DriverManager.getConnection(db(), "root", "");
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, "
                                + "end_time, goods_id, source, channel, original_price, deduction_price, pay_price, "
                                + "status, out_trade_no, biz_id) VALUES (?, '10000001', ?, ?, UTC_TIMESTAMP(3), "
                                + "UTC_TIMESTAMP(3), 'g1', ?, ?, 100, 20, 80, ?, ?, ?)")) {
            s.setString(1, userId);
            s.setString(2, orderId);
            s.setLong(3, ACTIVITY);
            s.setString(4, source);
            s.setString(5, channel);
            s.setInt(6, status);
            s.setString(7, outTradeNo);
            s.setString(8, bizId);
            s.executeUpdate();
        }
    }

    private String bizId(String orderId) throws Exception {
        try (Connection c = DriverManager.getConnection(db(), "root", "");
                PreparedStatement s =
                        c.prepareStatement("SELECT biz_id FROM group_buy_order_list WHERE order_id = ?")) {
            s.setString(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private Flyway flyway(MigrationVersion target) {
        return database.flyway(target);
    }

    private String db() {
        return database.url();
    }
}
