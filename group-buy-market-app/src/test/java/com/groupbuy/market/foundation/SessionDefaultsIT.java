package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.outage.StatementBoundConfig;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Server defaults a DBA's my.cnf hands every new session ({@code SessionDefaults}), set globally on a private mariadbd
 * as such a file would: {@code sql_select_limit=3}, {@code max_join_size=1000}, {@code sql_safe_updates=1},
 * {@code completion_type=2} (RELEASE). Each case is the service's pool (its data source auto-configuration and
 * StatementBoundConfig) on that server running one of our statements (the mapper's text) on tables shaped as ours.
 * <p>
 * Proved to fail on main: a team's ten members read as three, also by the expiry's locking read ("Expected size: 10
 * but was: 3"); the console's page of import jobs refused (1104, MAX_JOIN_SIZE); the outbox's page finish refused
 * (1175, safe update mode); the statement after a COMMIT failed on the connection the server had dropped
 * ("Communications link failure"); the migrations failed at Flyway's first commit ("Unable to commit transaction … No
 * operations allowed after connection closed"); a connection-init-sql setting sql_select_limit started.
 */
class SessionDefaultsIT {

    private static final String DATABASE = "gbm_defaults";

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start(DATABASE);
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            // group_buy_order_list's idx_team; group_buy_order's activity index; notify_task's finishing columns
            statement.execute("CREATE TABLE members (id BIGINT AUTO_INCREMENT PRIMARY KEY, team_id VARCHAR(8) NOT NULL,"
                    + " order_id VARCHAR(16) NOT NULL, status TINYINT NOT NULL, KEY idx_team (team_id))");
            statement.execute("CREATE TABLE jobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, batch_id VARCHAR(16) NOT NULL,"
                    + " tag_id VARCHAR(32) NOT NULL, status TINYINT NOT NULL DEFAULT 0, update_time DATETIME(3))");
            statement.execute("CREATE TABLE tags (id BIGINT AUTO_INCREMENT PRIMARY KEY, tag_id VARCHAR(32) NOT NULL"
                    + " UNIQUE, tag_name VARCHAR(64) NOT NULL, statistics INT)");
            statement.execute(
                    "CREATE TABLE tasks (id BIGINT AUTO_INCREMENT PRIMARY KEY, notify_status TINYINT NOT NULL,"
                            + " notify_count INT NOT NULL, next_attempt_time DATETIME(3) NOT NULL, last_error VARCHAR(512),"
                            + " claimed_by VARCHAR(64), claim_token CHAR(36), claim_until DATETIME(3))");
            statement.execute("INSERT INTO members (team_id, order_id, status)"
                    + " SELECT 't1', CONCAT('o', seq), 0 FROM seq_1_to_10");
            statement.execute("INSERT INTO tags (tag_id, tag_name) SELECT CONCAT('tag', seq), 'n' FROM seq_1_to_50");
            statement.execute("INSERT INTO jobs (batch_id, tag_id) SELECT CONCAT('b', seq), CONCAT('tag', seq % 50 + 1)"
                    + " FROM seq_1_to_3000");
            statement.execute("INSERT INTO tasks (notify_status, notify_count, next_attempt_time, claim_token)"
                    + " SELECT 0, 0, NOW(3), 'lease' FROM seq_1_to_20");
            statement.execute("ANALYZE TABLE members, jobs, tags, tasks");
        }
        server.admin(
                "SET GLOBAL sql_select_limit = 3",
                "SET GLOBAL max_join_size = 1000",
                "SET GLOBAL sql_safe_updates = 1",
                "SET GLOBAL completion_type = 2");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    /** IConsoleDao.teamMembers without its page, and IGroupBuyRefundDao.lockLiveMembers: every member of the team. */
    @Test
    void everyMemberOfATeamIsReadAlsoByTheExpirysLockingRead() {
        pool().run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForList(
                            "SELECT order_id FROM members WHERE team_id = ? ORDER BY id", String.class, "t1"))
                    .hasSize(10);
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement lock = connection.prepareStatement("SELECT id, order_id FROM members"
                        + " FORCE INDEX (idx_team) WHERE team_id = ? AND status IN (0, 1) ORDER BY id FOR UPDATE")) {
                    lock.setString(1, "t1");
                    assertThat(rows(lock)).as("the expiry's locking read").isEqualTo(10);
                } finally {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
        });
    }

    /** IOperatorViewDao.importJobs: the console's first page of 3,000 import jobs, each with its tag's name. */
    @Test
    void aReadExpectedToExamineManyRowsIsServed() {
        pool().run(context -> assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                        .queryForList(
                                "SELECT j.batch_id AS batchId, j.tag_id AS tagId, t.tag_name AS tagName, j.status,"
                                        + " COALESCE(t.statistics, 0) AS statistics, j.update_time AS updateTime"
                                        + " FROM jobs j LEFT JOIN tags t ON t.tag_id = j.tag_id"
                                        + " ORDER BY j.id DESC LIMIT ? OFFSET ?",
                                20,
                                0))
                .hasSize(20));
    }

    /** INotifyTaskDao.finishAll: a page of tasks joined to its JSON array, no key in its WHERE. */
    @Test
    void theOutboxsPageFinishIsWritten() {
        pool().run(context -> assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                        .update(
                                "UPDATE tasks t JOIN JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$[0]',"
                                        + " next_at DATETIME(3) PATH '$[1]')) page ON t.id = page.id"
                                        + " SET t.notify_status = 1, t.notify_count = t.notify_count + 1,"
                                        + " t.next_attempt_time = page.next_at, t.last_error = NULL, t.claimed_by = NULL,"
                                        + " t.claim_token = NULL, t.claim_until = NULL WHERE t.claim_token = ?",
                                "[[1, \"2026-01-01 00:00:00\"], [2, \"2026-01-01 00:00:00\"]]",
                                "lease"))
                .isEqualTo(2));
    }

    /** A transaction's COMMIT, then what Spring and the pool send next on the same connection. */
    @Test
    void aConnectionOutlivesItsCommits() {
        pool().run(context -> {
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                for (int i = 0; i < 2; i++) {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE tasks SET notify_count = notify_count + 1 WHERE id = 3");
                    }
                    connection.commit();
                    connection.setAutoCommit(true);
                }
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT notify_count FROM tasks WHERE id = 3")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
        });
    }

    /**
     * Flyway's own connection (spring.flyway.url, as application.yml sets it; a database of its own, as ours is empty
     * at first) commits each migration and reads its history table with a plain SELECT: the migrations run, and a
     * second start finds every one applied.
     */
    @Test
    void aSecondStartFindsEveryMigrationApplied() {
        String migrated = DATABASE + "_flyway";
        server.admin(
                "CREATE DATABASE " + migrated + " CHARACTER SET utf8mb4",
                "GRANT ALL PRIVILEGES ON " + migrated + ".* TO '" + PrivateMariaDb.USER + "'@'127.0.0.1'");
        ApplicationContextRunner migrating = pool().withConfiguration(
                        AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues(
                        "spring.flyway.enabled=true",
                        "spring.flyway.locations=classpath:db/migration",
                        "spring.flyway.url=" + server.url().replace("/" + DATABASE + "?", "/" + migrated + "?"),
                        "spring.flyway.user=" + PrivateMariaDb.USER,
                        "spring.flyway.password=" + PrivateMariaDb.PASSWORD);
        migrating.run(context -> assertThat(context).hasNotFailed());
        migrating.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                            .queryForObject(
                                    "SELECT COUNT(*) FROM " + migrated + ".flyway_schema_history WHERE success = 1",
                                    Integer.class))
                    .isGreaterThan(3);
        });
    }

    /** A connection-init-sql runs after the driver's session variables: one that sets a limit is refused. */
    @Test
    void aStartWhosePooledSessionsCutReadsIsRefused() {
        pool("spring.datasource.hikari.connection-init-sql=SET time_zone = '+00:00', sql_select_limit = 1000")
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: a pooled database session runs with sql_select_limit=1000,"
                                + " not sql_select_limit=18446744073709551615")
                        .contains("connection-init-sql"));
    }

    private static ApplicationContextRunner pool(String... properties) {
        return pool(server, properties);
    }

    /** The service's pool on a private server, as DatabasePacketLimitIT builds it (BinlogFormatIT's too). */
    static ApplicationContextRunner pool(PrivateMariaDb server, String... properties) {
        List<String> values = new ArrayList<>(List.of(
                "spring.datasource.url=" + server.url(),
                "spring.datasource.username=" + PrivateMariaDb.USER,
                "spring.datasource.password=" + PrivateMariaDb.PASSWORD,
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10",
                "spring.datasource.hikari.data-source-properties.socketTimeout=12000",
                "spring.flyway.enabled=false"));
        values.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(StatementBoundConfig.class)
                .withPropertyValues(values.toArray(String[]::new));
    }

    private static int rows(PreparedStatement query) throws SQLException {
        int rows = 0;
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
    }
}
