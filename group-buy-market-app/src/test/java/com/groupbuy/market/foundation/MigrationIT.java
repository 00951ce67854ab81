package com.groupbuy.market.foundation;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The versioned migrations build the whole schema on an empty database and are a no-op on a migrated one. */
class MigrationIT {

    private static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    private static final String PARAMS = "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true";
    private final String database = "gbm_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeEach
    void createEmptyDatabase() throws Exception {
        execute(SERVER + PARAMS, "CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        execute(SERVER + PARAMS, "DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void migratesAnEmptyDatabaseThenDoesNothingOnTheMigratedOne() throws Exception {
        MigrateResult first = flyway().migrate();
        MigrateResult second = flyway().migrate();

        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isPositive();
        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(tables()).contains("group_buy_activity", "group_buy_discount", "sku", "sc_sku_activity",
                "crowd_tags", "crowd_tags_detail", "crowd_tags_job", "group_buy_order", "group_buy_order_list",
                "notify_task", "notify_attempt", "crowd_user_index");
    }

    @Test
    void everyBusinessKeyIsUnique() throws Exception {
        flyway().migrate();

        assertThat(uniqueKeys("group_buy_order_list")).contains("uq_order_id", "uq_user_out_trade_no", "uq_biz_id");
        assertThat(uniqueKeys("group_buy_order")).contains("uq_team_id");
        assertThat(uniqueKeys("notify_task")).contains("uq_task_key");
        assertThat(uniqueKeys("group_buy_activity")).contains("uq_activity_id");
        assertThat(uniqueKeys("crowd_user_index")).contains("uq_user_id");
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(SERVER + database + PARAMS, "root", "")
                .locations("classpath:db/migration").load();
    }

    private List<String> tables() throws Exception {
        return column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database + "'");
    }

    private List<String> uniqueKeys(String table) throws Exception {
        return column("SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = '"
                + database + "' AND table_name = '" + table + "' AND non_unique = 0");
    }

    private List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(SERVER + database + PARAMS, "root", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
