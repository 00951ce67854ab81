package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.outage.DatabasePacketLimit;
import com.groupbuy.market.config.outage.StatementBoundConfig;
import com.groupbuy.market.domain.trade.model.valobj.SettlementCallback;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.StartRefusal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The server's {@code max_allowed_packet} (no session can raise it) on a private mariadbd started at 1 MiB, a value
 * operators set. Our largest statements, from what a partner may legally send and our own batch settings, fail there
 * on every retry alike; a rewritten JDBC batch is cut by the driver to fit and is not at risk. A start on that server
 * is refused, naming the setting ({@link DatabasePacketLimit}).
 * <p>
 * Proved to fail on main: the start on the 1 MiB server, and the start with the URL's {@code maxAllowedPacket=65535},
 * were not refused ("to have failed but context started successfully"); the two stagings pass there too.
 */
class DatabasePacketLimitIT {

    private static final String ONE_MIB = "1048576";

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start("gbm_packet", "--max-allowed-packet=" + ONE_MIB);
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            // notify_task.parameter_json since V17; crowd_user_index's key columns (V1, V3)
            statement.execute("CREATE TABLE task (id BIGINT AUTO_INCREMENT PRIMARY KEY, parameter_json MEDIUMTEXT)"
                    + " DEFAULT CHARSET = utf8mb4");
            statement.execute("CREATE TABLE user_index (bit_index BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " source VARCHAR(16) NOT NULL, channel VARCHAR(16) NOT NULL, user_id VARCHAR(32) NOT NULL)"
                    + " DEFAULT CHARSET = utf8mb4");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void aStartOnAServerWhosePacketIsBelowOurLargestStatementsIsRefused() {
        pool("").run(context -> assertThat(StartRefusal.message(context))
                .startsWith("refusing to start: the database's max_allowed_packet is " + ONE_MIB + " bytes")
                .contains("set max_allowed_packet to at least 4M"));
    }

    /** The driver takes the smaller of its own maxAllowedPacket and the server's: one below is refused, unconnected. */
    @Test
    void aStartWhoseDriverLimitIsBelowOurLargestStatementsIsRefused() {
        pool("&maxAllowedPacket=65535")
                .run(context -> assertThat(StartRefusal.message(context))
                        .startsWith("refusing to start: the database URL or spring.datasource.hikari"
                                + ".data-source-properties sets maxAllowedPacket=65535, below the 4194304 bytes"));
    }

    /**
     * A team of 10,000 (the largest target) whose trade numbers are 32 {@code \} each (legal: only control and
     * direction characters are refused; 64 bytes of JSON, 128 as the driver escapes them) completes: its callback is one INSERT the driver refuses at 1 MiB, the same on
     * every retry of the settlement, so its last payment would never settle; a crowd-tag page of 10,000 users
     * (gbm.tag.import-batch-size at its most) of 32 four-byte characters likewise. Both fit the required packet.
     */
    @Test
    void ourLargestStatementsFailOnEveryRetryBelowTheRequiredPacketAndFitIt() throws Exception {
        String body = new SettlementCallback("T0000001", Collections.nCopies(10_000, "\\".repeat(32))).toJson();
        try (Connection connection = connect()) {
            for (int retry = 0; retry < 2; retry++) {
                assertThatThrownBy(() -> insertCallback(connection, body))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("max_allowed_packet");
            }
            assertThatThrownBy(() -> insertTagPage(connection))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("max_allowed_packet");
        }
        server.admin("SET GLOBAL max_allowed_packet = " + DatabasePacketLimit.REQUIRED_BYTES);
        try (Connection connection = connect()) {
            insertCallback(connection, body);
            insertTagPage(connection);
            try (Connection driverLimited = DriverManager.getConnection(
                    server.url() + "&maxAllowedPacket=65535", PrivateMariaDb.USER, PrivateMariaDb.PASSWORD)) {
                assertThatThrownBy(() -> insertCallback(driverLimited, body))
                        .as("the driver's own limit, below the server's")
                        .hasMessageContaining("max_allowed_packet");
            }
        } finally {
            server.admin("SET GLOBAL max_allowed_packet = " + ONE_MIB);
        }
    }

    /** The lock group commit's rows, a JDBC batch rewritten as one INSERT: 2 MB of rows go in packets that fit. */
    @Test
    void aRewrittenBatchAboveThePacketIsCutToFitByTheDriver() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        server.url() + "&rewriteBatchedStatements=true", PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO task (parameter_json) VALUES (?)")) {
            for (int i = 0; i < 2_000; i++) {
                insert.setString(1, "x".repeat(1_000));
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).hasSize(2_000);
        }
    }

    /** The service's pool (its data source auto-configuration and StatementBoundConfig) on the private server. */
    private static ApplicationContextRunner pool(String urlSuffix) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(StatementBoundConfig.class)
                .withPropertyValues(
                        "spring.datasource.url=" + server.url() + urlSuffix,
                        "spring.datasource.username=" + PrivateMariaDb.USER,
                        "spring.datasource.password=" + PrivateMariaDb.PASSWORD,
                        "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10",
                        "spring.datasource.hikari.data-source-properties.socketTimeout=12000");
    }

    private static void insertCallback(Connection connection, String body) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO task (parameter_json) VALUES (?)")) {
            insert.setString(1, body);
            insert.executeUpdate();
        }
    }

    /** ICrowdUserIndexDao.insertUnlessTaken's statement for one page. */
    private static void insertTagPage(Connection connection) throws SQLException {
        int users = 10_000;
        StringBuilder sql = new StringBuilder("INSERT INTO user_index (source, channel, user_id) VALUES ");
        for (int i = 0; i < users; i++) {
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?)");
        }
        String wide = "\uD83D\uDE00"; // one character, four bytes in utf8mb4
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < users; i++) {
                insert.setString(3 * i + 1, wide.repeat(16));
                insert.setString(3 * i + 2, wide.repeat(16));
                insert.setString(3 * i + 3, wide.repeat(32));
            }
            insert.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
    }
}
