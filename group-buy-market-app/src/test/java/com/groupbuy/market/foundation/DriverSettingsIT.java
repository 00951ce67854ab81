package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.config.outage.StatementBoundConfig;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An operator's JDBC URL may carry Connector/J settings that change what our statements mean; the pool pins them
 * ({@code DriverSettings}), whatever the URL says. Each case is the pool as the service builds it (its data source
 * auto-configuration and StatementBoundConfig) on the real MariaDB, with one setting of an operator's added to the
 * URL, and the statements on session-own temporary tables shaped as ours (exact utf8mb4_nopad_bin text).
 * <p>
 * Proved to fail on main: with {@code useAffectedRows=true} the crowd-tag job's finish of a rerun in the same
 * millisecond counted 0 (read as "abandoned while it ran") and a taken key's no-op update 0; with
 * {@code characterEncoding=latin1} or {@code connectionCollation=latin1_swedish_ci} "张三" was stored as "??" and
 * "李四" found it; with {@code maxRows=1} a read of three rows returned one; with {@code characterSetResults=latin1}
 * "张三" was read back as "??"; a {@code connection-init-sql} of {@code SET NAMES latin1} started.
 */
class DriverSettingsIT {

    /** The test profile's database (created when missing; nothing is written to it: the tables are the session's). */
    private static final String URL = IsolatedDatabaseInitializer.SERVER + "group_buy_market_test"
            + IsolatedDatabaseInitializer.PARAMS + "&createDatabaseIfNotExist=true";

    /** The crowd-tag job's finish, as ICrowdTagDao.xml's updateJobStatus. */
    private static final String FINISH_JOB = "UPDATE job SET status = ?, update_time = CURRENT_TIMESTAMP(3)"
            + " WHERE batch_id = ? AND status IN (?, ?)";

    /** The service's pool on the test database; the URL's suffix and properties an operator's (SessionIsolationIT). */
    static ApplicationContextRunner pool(String urlSuffix, String... properties) {
        List<String> values = new ArrayList<>(List.of(
                "spring.datasource.url=" + URL + urlSuffix,
                "spring.datasource.username=root",
                "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10",
                "spring.datasource.hikari.data-source-properties.socketTimeout=12000",
                "spring.datasource.hikari.connection-init-sql=SET time_zone = '+00:00'"));
        values.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(StatementBoundConfig.class)
                .withPropertyValues(values.toArray(String[]::new));
    }

    /**
     * A rerun finishing a done job in the same millisecond as the last finish changes no column: counted by changed
     * rows the guarded finish matched nothing, and the run was refused as abandoned. The server's clock is held for
     * the session ({@code SET timestamp}) to make that millisecond certain.
     */
    @ParameterizedTest
    @ValueSource(strings = {"&useAffectedRows=true", "&useAffectedRows=yes", ""})
    void anUpdateCountsTheRowsItMatchedWhateverTheUrlSays(String url) {
        pool(url).run(context -> {
            assertThat(context).hasNotFailed();
            try (Connection connection = context.getBean(DataSource.class).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE job (id BIGINT PRIMARY KEY, batch_id VARCHAR(32) NOT NULL,"
                        + " status TINYINT NOT NULL, update_time DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
                        + " ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE KEY uq_batch (batch_id))"
                        + " DEFAULT CHARSET = utf8mb4 COLLATE utf8mb4_nopad_bin");
                statement.execute("SET timestamp = 1790000000.123");
                statement.execute("INSERT INTO job (id, batch_id, status) VALUES (1, 'b1', 0)");
                assertThat(finishJob(connection))
                        .as("the first run's finish: created -> done")
                        .isEqualTo(1);
                assertThat(finishJob(connection))
                        .as("a rerun's finish in the same millisecond: done -> done, matched")
                        .isEqualTo(1);
                assertThat(
                                statement.executeUpdate(
                                        "INSERT INTO job (id, batch_id, status) VALUES (2, 'b1', 0) ON DUPLICATE KEY UPDATE id = id"))
                        .as("a taken key's no-op update counts its found row")
                        .isEqualTo(1);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "&characterEncoding=latin1",
                "&characterEncoding=Cp1252",
                "&connectionCollation=latin1_swedish_ci",
                "&characterEncoding=latin1&connectionCollation=latin1_swedish_ci",
                "&characterSetResults=latin1",
                "&connectionCollation=utf8mb4_general_ci"
            })
    void idsAreStoredComparedAndReadAsSentWhateverTheUrlSays(String url) {
        pool(url).run(context -> {
            assertThat(context).hasNotFailed();
            try (Connection connection = context.getBean(DataSource.class).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE member (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " user_id VARCHAR(32) NOT NULL, UNIQUE KEY uq_user (user_id))"
                        + " DEFAULT CHARSET = utf8mb4 COLLATE utf8mb4_nopad_bin");
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO member (user_id) VALUES (?)")) {
                    insert.setString(1, "张三");
                    insert.executeUpdate();
                }
                assertThat(users(connection, "李四")).as("another user's id").isEmpty();
                assertThat(users(connection, "ZHANG")).isEmpty();
                assertThat(users(connection, "张三")).containsExactly("张三");
                try (ResultSet rs = statement.executeQuery("SELECT HEX(user_id) FROM member")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("the bytes stored").isEqualTo("E5BCA0E4B889");
                }
            }
        });
    }

    @Test
    void everyRowIsReadWhateverTheUrlSays() {
        pool("&maxRows=1").run(context -> {
            assertThat(context).hasNotFailed();
            try (Connection connection = context.getBean(DataSource.class).getConnection();
                    PreparedStatement read =
                            connection.prepareStatement("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")) {
                int rows = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(3);
            }
        });
    }

    /** A connection-init-sql runs after the driver's settings: one that changes the character set is refused. */
    @Test
    void aStartWhosePooledSessionsRunInAnotherCharacterSetIsRefused() {
        pool("", "spring.datasource.hikari.connection-init-sql=SET time_zone = '+00:00', NAMES latin1")
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith(
                                "refusing to start: a pooled database session runs with character_set_client=latin1")
                        .contains("connection-init-sql"));
    }

    private static int finishJob(Connection connection) throws SQLException {
        try (PreparedStatement finish = connection.prepareStatement(FINISH_JOB)) {
            finish.setInt(1, 1);
            finish.setString(2, "b1");
            finish.setInt(3, 0);
            finish.setInt(4, 1);
            return finish.executeUpdate();
        }
    }

    private static List<String> users(Connection connection, String userId) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement("SELECT user_id FROM member WHERE user_id = ?")) {
            read.setString(1, userId);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }
}
