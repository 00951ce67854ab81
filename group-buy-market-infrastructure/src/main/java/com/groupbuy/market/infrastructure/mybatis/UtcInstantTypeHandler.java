package com.groupbuy.market.infrastructure.mybatis;

import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.MappedTypes;

/**
 * Every {@link Instant} the app hands to or reads from the database, as UTC text with its milliseconds.
 * <p>
 * Connector/J (9.7.0) decides whether a server keeps fractional seconds from the version in its handshake, and
 * MariaDB announces itself as {@code 5.5.5-10.11.x} (older than MySQL 5.6.4): the driver then cuts every
 * {@code Timestamp}, {@code Instant} or {@code LocalDateTime} parameter to whole seconds before sending it
 * ({@code NativeCapabilities.serverHasFracSecsSupport}; a string parameter is sent untouched). MyBatis' own
 * {@code InstantTypeHandler} binds a {@code Timestamp}, so due times, lease ends and the timeout job's bounds all
 * lost up to a second. This handler binds the value as {@code yyyy-MM-dd HH:mm:ss.SSS} text, which MariaDB and
 * MySQL convert to {@code DATETIME(3)} / {@code TIMESTAMP(3)} (and compare against such columns) exactly.
 * <p>
 * The database holds UTC and every profile's JDBC URL runs the session in UTC
 * ({@code connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true}, README): the text is UTC, and a value read
 * back is the column's own date and time taken as UTC, whatever the JVM's zone. Sub-millisecond digits are cut on
 * the client, so MariaDB (which truncates) and MySQL (which rounds) store the same value.
 * Registered for every mapper through {@code mybatis.type-handlers-package}.
 */
@MappedTypes(Instant.class)
public class UtcInstantTypeHandler extends BaseTypeHandler<Instant> {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years with a four-digit database text. */
    private static final long FIRST_SECOND = LocalDate.of(1, 1, 1).toEpochDay() * SECONDS_PER_DAY;

    private static final long AFTER_LAST_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * SECONDS_PER_DAY;

    /**
     * The text this handler sends for {@code value}: {@code yyyy-MM-dd HH:mm:ss.SSS}, written digit by digit (#19: the
     * formatter, run for every Instant parameter of every statement, was 1.2 % of the app's CPU samples in a
     * settlement profile; UtcInstantTypeHandlerTest holds the two equal).
     *
     * @throws IllegalArgumentException a time outside the years 1–9999: it has no such text. The formatter wrote the
     *     year of its era ({@code -7967} as {@code 7968}), so a bound computed from a setting of ten thousand years
     *     compared as a date far in the future, and a retention run deleted every delivered callback: refused here,
     *     before any statement is sent, whatever computed it.
     */
    public static String toDatabaseText(Instant value) {
        long seconds = value.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds >= AFTER_LAST_SECOND) {
            throw new IllegalArgumentException(
                    "a time outside the years 1-9999 cannot be stored or compared in the database: " + value);
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int year = date.getYear();
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        byte[] text = new byte[23];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = ' ';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        text[19] = '.';
        digits(text, 20, value.getNano() / 1_000_000, 3);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** {@code value} (non-negative, below 10^width) as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, Instant parameter, JdbcType jdbcType)
            throws SQLException {
        ps.setString(i, toDatabaseText(parameter));
    }

    @Override
    public Instant getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return toInstant(rs.getObject(columnName, LocalDateTime.class));
    }

    @Override
    public Instant getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return toInstant(rs.getObject(columnIndex, LocalDateTime.class));
    }

    @Override
    public Instant getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return toInstant(cs.getObject(columnIndex, LocalDateTime.class));
    }

    private static Instant toInstant(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
