package com.groupbuy.market.config.outage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The server's {@code max_allowed_packet} is the largest statement (and row) it takes; a session cannot raise it, and
 * Connector/J refuses a statement above it before sending it ({@code PacketTooBigException}). Most of our statements
 * grow with input only so far: the lock group commit's rewritten multi-row INSERT is cut by the driver into packets
 * that fit, and a failed batch is written again call by call. Not so a single statement, and the largest grow with
 * what a partner may legally send: the completion callback of a team of 10,000 (an activity's target is at most
 * 10,000, E0002) lists every member's {@code outTradeNo} (32 UTF-16 units; 32 {@code \} characters are 64 bytes of
 * JSON and 128 as the driver escapes them), about 1.33 MB in one INSERT of notify_task, written with the last payment
 * in one transaction; a crowd-tag page of {@code gbm.tag.import-batch-size} 10,000 users (32 characters of 4 bytes,
 * each with its source and channel) is about 2.7 MB in one INSERT of crowd_user_index. Above the packet such a
 * statement fails the same way however often it is retried: the team's last paid member is never settled (every retry
 * of the settlement fails whole), a tag never loads. So a start reads the limit of a pooled session and refuses one
 * below {@link #REQUIRED_BYTES} (DatabasePacketLimitIT stages both statements). The driver takes the smaller of the
 * server's limit and its own {@code maxAllowedPacket} when one is set, so a pool whose URL or properties set one below
 * is refused too, before it connects ({@link #check}).
 */
public final class DatabasePacketLimit {

    /** 4 MiB: the largest statements above with room for their other columns (MySQL 8 defaults to 64 MiB, MariaDB 16). */
    public static final long REQUIRED_BYTES = 4L * 1024 * 1024;

    private DatabasePacketLimit() {}

    /**
     * Refuses (IllegalStateException) a driver {@code maxAllowedPacket} below {@link #REQUIRED_BYTES} in the pool's
     * properties or URL (the driver parses it as a number; one it cannot parse fails the connection on its own).
     */
    static void check(Properties properties, String jdbcUrl) {
        if (!StatementBound.isMySqlFamily(jdbcUrl)) {
            return;
        }
        String setting = StatementBound.setting(properties, jdbcUrl, "maxAllowedPacket");
        if (setting == null || setting.isBlank()) {
            return;
        }
        double bytes;
        try {
            bytes = Double.parseDouble(setting.trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (bytes < REQUIRED_BYTES) {
            throw new IllegalStateException("refusing to start: the database URL or"
                    + " spring.datasource.hikari.data-source-properties sets maxAllowedPacket=" + setting
                    + ", below the " + REQUIRED_BYTES + " bytes our largest statements need, and the driver refuses"
                    + " any statement above it: remove it (the server's max_allowed_packet then applies;"
                    + " docs/operations.md)");
        }
    }

    /** Refuses (IllegalStateException) a session whose {@code max_allowed_packet} is below {@link #REQUIRED_BYTES}. */
    static void verify(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.max_allowed_packet")) {
            rs.next();
            verify(rs.getLong(1));
        }
    }

    static void verify(long packetBytes) {
        if (packetBytes < REQUIRED_BYTES) {
            throw new IllegalStateException("refusing to start: the database's max_allowed_packet is " + packetBytes
                    + " bytes, below the " + REQUIRED_BYTES + " our largest statements need (a team's completion"
                    + " callback listing 10,000 members, a crowd-tag import page), which would fail on every retry: set"
                    + " max_allowed_packet to at least 4M in the server's configuration (docs/operations.md)");
        }
    }
}
