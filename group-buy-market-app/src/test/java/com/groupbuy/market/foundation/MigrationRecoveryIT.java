package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a start does when the schema upgrade does not go the simple way, on the real MariaDB with Flyway's API (the
 * same migrations and settings the application's start uses): two instances starting at once, and a migration that
 * fails between two of its statements (MariaDB commits each DDL statement alone).
 */
class MigrationRecoveryIT {

    private MigrationDatabase database;

    @BeforeEach
    void createEmptyDatabase() {
        database = MigrationDatabase.create("gbm_schema_");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    /**
     * Flyway's named lock (GET_LOCK on MariaDB) serialises the two: one applies every migration, the other waits, then
     * finds nothing pending. On a database holding takes in the old format the data rewrite (V13) runs once: run twice
     * it would cut the rewritten ids apart again.
     */
    @Test
    void twoStartsAtOnceApplyEachMigrationOnce() throws Exception {
        flyway(MigrationVersion.fromVersion("12")).migrate();
        execute("INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no, "
                + "biz_id) VALUES ('u_1', '10000001', '000000000001', 7001, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), "
                + "'g1', 's01', 'c01', 100, 20, 80, 0, 'o1', '7001_u_1_1')");

        assertThat(twoStartsAtOnce()).isEqualTo(pendingAfter("12"));
        assertThat(column("SELECT COUNT(*) FROM flyway_schema_history GROUP BY version HAVING COUNT(*) > 1"))
                .isEmpty();
        assertThat(column("SELECT REPLACE(biz_id, CHAR(31), '|') FROM group_buy_order_list"))
                .containsExactly("7001|s01|c01|u_1|1");
    }

    @Test
    void twoStartsAtOnceOnAnEmptyDatabaseBuildItOnce() throws Exception {
        assertThat(twoStartsAtOnce()).isEqualTo(pendingAfter("0"));
    }

    /**
     * V16 fails at its second statement (here: another session holds crowd_user_index, the ALTER's wait runs out),
     * after its first (crowd_tags_detail) took effect. Every later start is refused, naming the version, and writes
     * nothing; the operator undoes what the failed file did, removes the failed entry (repair), and the next start runs
     * the file whole. No member row is lost on the way.
     */
    @Test
    void aMigrationFailingHalfwayIsRefusedUntilUndoneAndRepairedThenRunsWhole() throws Exception {
        flyway(MigrationVersion.fromVersion("15")).migrate();
        execute("INSERT INTO crowd_tags_detail (tag_id, user_id) VALUES ('t1', 'u1'), ('t1', 'u2')");
        execute("INSERT INTO crowd_user_index (user_id) VALUES ('u1')");

        try (Connection holder = DriverManager.getConnection(db(), "root", "");
                Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("SELECT * FROM crowd_user_index").close();
            Flyway impatient = Flyway.configure()
                    .dataSource(db(), "root", "")
                    .locations("classpath:db/migration")
                    .initSql("SET SESSION lock_wait_timeout = 1")
                    .load();
            assertThatThrownBy(impatient::migrate).isInstanceOf(FlywayException.class);
            holder.rollback();
        }
        assertThat(column("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '" + database.name()
                        + "' AND table_name = 'crowd_tags_detail' AND column_name = 'source'"))
                .as("the first statement took effect")
                .containsExactly("1");

        // The failure is recorded (MariaDB cannot roll DDL back), so the next start, nothing in its way now, does not
        // run the file again: it is refused, naming the failed version, and writes nothing. Undoing the statement
        // alone (without removing the failed entry) does not change that.
        assertThat(column("SELECT version FROM flyway_schema_history WHERE success = 0"))
                .containsExactly("16");
        assertThatThrownBy(() -> flyway(MigrationVersion.LATEST).migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("failed migration to version 16");

        // The operator's repair (docs/operations.md): undo the statement that took effect, remove the failed entry.
        execute("ALTER TABLE crowd_tags_detail DROP KEY uq_tag_partner_user, DROP COLUMN source, DROP COLUMN channel, "
                + "ADD UNIQUE KEY uq_tag_user (tag_id, user_id)");
        flyway(MigrationVersion.LATEST).repair();

        assertThat(flyway(MigrationVersion.LATEST).migrate().success).isTrue();
        assertThat(column("SELECT user_id FROM crowd_tags_detail WHERE source IS NULL ORDER BY user_id"))
                .containsExactly("u1", "u2");
        assertThat(column("SELECT version FROM flyway_schema_history WHERE success = 0"))
                .isEmpty();
    }

    private int pendingAfter(String version) {
        MigrationVersion after = MigrationVersion.fromVersion(version);
        return (int)
                java.util.Arrays.stream(flyway(MigrationVersion.LATEST).info().all())
                        .filter(m -> m.getVersion() != null && m.getVersion().isNewerThan(after.getVersion()))
                        .count();
    }

    /** Two migrations to the latest version started together; each succeeds. Returns the migrations both ran. */
    private int twoStartsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MigrateResult>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(pool.submit(() -> {
                    go.await();
                    return flyway(MigrationVersion.LATEST).migrate();
                }));
            }
            go.countDown();
            int executed = 0;
            for (Future<MigrateResult> start : starts) {
                MigrateResult result = start.get(60, TimeUnit.SECONDS);
                assertThat(result.success).isTrue();
                executed += result.migrationsExecuted;
            }
            return executed;
        } finally {
            pool.shutdownNow();
        }
    }

    private Flyway flyway(MigrationVersion target) {
        return database.flyway(target);
    }

    private String db() {
        return database.url();
    }

    private List<String> column(String sql) {
        return database.jdbc().queryForList(sql, String.class);
    }

    private void execute(String sql) {
        database.jdbc().execute(sql);
    }
}
