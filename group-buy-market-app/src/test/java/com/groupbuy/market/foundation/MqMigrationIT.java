package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V7 on a database that holds pre-V7 outbox rows: refund tasks still owed at the team's (team-success) URL end as
 * FAIL with the reason; delivered refund tasks, settlement tasks and the teams themselves are left as they were.
 */
class MqMigrationIT {

    private final MigrationDatabase database = MigrationDatabase.create("gbm_mig7_");

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void refundTasksRetryingAgainstATeamSuccessUrlAreEndedWithAReasonAndNothingElseChanges() throws Exception {
        flyway(lastBeforeV7()).migrate();
        String url = "http://mall.example/notify";
        execute(
                db(),
                "INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, "
                        + "deduction_price, pay_price, target_count, status, valid_start_time, valid_end_time, notify_type, notify_url) "
                        + "VALUES ('10000001', 1, 'u1', 's01', 'c01', 100, 20, 80, 3, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 'HTTP', '"
                        + url + "')");
        task("retrying-refund", "trade_paid2refund", 2, url);
        task("new-refund", "trade_unpaid2refund", 0, url);
        task("delivered-refund", "trade_paid_team2refund", 1, url);
        task("retrying-settlement", "trade_settlement", 2, url);

        assertThat(flyway(MigrationVersion.LATEST).migrate().success).isTrue();

        assertThat(task("retrying-refund")).containsEntry("notify_status", 3);
        assertThat((String) task("retrying-refund").get("last_error"))
                .contains("V7")
                .contains("refund URL");
        assertThat(task("new-refund")).containsEntry("notify_status", 3);
        assertThat(task("delivered-refund")).containsEntry("notify_status", 1).containsEntry("last_error", null);
        assertThat(task("retrying-settlement"))
                .containsEntry("notify_status", 2)
                .containsEntry("last_error", null);
        assertThat(query("SELECT notify_mq FROM group_buy_order WHERE team_id = '10000001'"))
                .containsEntry("notify_mq", null);
    }

    private void task(String key, String category, int status, String url) throws Exception {
        execute(
                db(),
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time) VALUES ('"
                        + key
                        + "', 'msg_" + key + "', 1, '10000001', 's01', 'c01', '" + category + "', 'HTTP', '" + url
                        + "', 1, "
                        + status + ", '{}', UTC_TIMESTAMP(3))");
    }

    private Map<String, Object> task(String key) throws Exception {
        return query("SELECT notify_status, last_error FROM notify_task WHERE task_key = '" + key + "'");
    }

    private Map<String, Object> query(String sql) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(db(), "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object value = rs.getObject(i);
                row.put(rs.getMetaData().getColumnLabel(i), value instanceof Number n ? n.intValue() : value);
            }
        }
        return row;
    }

    private String db() {
        return database.url();
    }

    /** The newest migration before V7 on the classpath (other branches add V4-V6). */
    private MigrationVersion lastBeforeV7() {
        MigrationVersion v7 = MigrationVersion.fromVersion("7");
        return Arrays.stream(flyway(MigrationVersion.LATEST).info().all())
                .map(MigrationInfo::getVersion)
                .filter(v -> v != null && v.compareTo(v7) < 0)
                .max(MigrationVersion::compareTo)
                .orElseThrow();
    }

    private Flyway flyway(MigrationVersion target) {
        return database.flyway(target);
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "root", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
