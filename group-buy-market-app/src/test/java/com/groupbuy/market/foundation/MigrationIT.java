package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The versioned migrations build the whole schema on an empty database and are a no-op on a migrated one. */
class MigrationIT {

    private final MigrationDatabase database = MigrationDatabase.create("gbm_mig_");

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void migratesAnEmptyDatabaseThenDoesNothingOnTheMigratedOne() throws Exception {
        MigrateResult first = flyway().migrate();
        MigrateResult second = flyway().migrate();

        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isPositive();
        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(tables())
                .contains(
                        "group_buy_activity",
                        "group_buy_discount",
                        "sku",
                        "sc_sku_activity",
                        "crowd_tags",
                        "crowd_tags_detail",
                        "crowd_tags_job",
                        "group_buy_order",
                        "group_buy_order_list",
                        "notify_task",
                        "notify_attempt",
                        "crowd_user_index",
                        "late_payment");
    }

    @Test
    void everyBusinessKeyIsUnique() throws Exception {
        flyway().migrate();

        assertThat(uniqueKeys("group_buy_order_list"))
                .contains("uq_order_id", "uq_partner_user_out_trade_no", "uq_biz_id");
        assertThat(uniqueKeys("group_buy_order")).contains("uq_team_id");
        assertThat(uniqueKeys("notify_task")).contains("uq_task_key");
        assertThat(uniqueKeys("group_buy_activity")).contains("uq_activity_id");
        assertThat(uniqueKeys("crowd_user_index")).contains("uq_partner_user");
        assertThat(uniqueKeys("crowd_tags_detail")).contains("uq_tag_partner_user");
        assertThat(uniqueKeys("late_payment")).contains("uq_order_id");
    }

    /**
     * Identifiers compare exactly (issue 12): every text column of every table, and every table's default (for
     * columns added later), is a binary NO PAD collation, so case and trailing spaces count.
     */
    @Test
    void everyTextColumnAndTableDefaultComparesExactly() throws Exception {
        flyway().migrate();

        List<String> inexactColumns = column("SELECT CONCAT(table_name, '.', column_name, ' ', collation_name) "
                + "FROM information_schema.columns WHERE table_schema = '" + database.name()
                + "' AND collation_name IS NOT NULL "
                + "AND collation_name <> 'utf8mb4_nopad_bin' AND table_name <> 'flyway_schema_history'");
        List<String> inexactTables =
                column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database.name()
                        + "' AND table_collation <> 'utf8mb4_nopad_bin' AND table_name <> 'flyway_schema_history'");
        List<String> identifiers = column("SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns "
                + "WHERE table_schema = '" + database.name() + "' AND collation_name = 'utf8mb4_nopad_bin'");

        assertThat(inexactColumns).isEmpty();
        assertThat(inexactTables).isEmpty();
        assertThat(identifiers)
                .contains(
                        "group_buy_order_list.user_id",
                        "group_buy_order_list.out_trade_no",
                        "group_buy_order_list.team_id",
                        "group_buy_order_list.order_id",
                        "group_buy_order_list.source",
                        "group_buy_order_list.channel",
                        "group_buy_order_list.goods_id",
                        "group_buy_order_list.biz_id",
                        "group_buy_order.team_id",
                        "group_buy_order.source",
                        "group_buy_order.channel",
                        "sc_sku_activity.source",
                        "sc_sku_activity.channel",
                        "sc_sku_activity.goods_id",
                        "sku.goods_id",
                        "notify_task.webhook_id",
                        "notify_task.task_key",
                        "notify_task.team_id",
                        "crowd_tags_detail.user_id",
                        "crowd_tags_detail.source",
                        "crowd_tags_detail.channel",
                        "crowd_user_index.user_id",
                        "crowd_user_index.source",
                        "crowd_user_index.channel",
                        "late_payment.order_id");
    }

    private Flyway flyway() {
        return database.flyway(MigrationVersion.LATEST);
    }

    private List<String> tables() throws Exception {
        return column(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database.name() + "'");
    }

    private List<String> uniqueKeys(String table) throws Exception {
        return column("SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = '"
                + database.name() + "' AND table_name = '" + table + "' AND non_unique = 0");
    }

    private List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database.url(), "root", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
