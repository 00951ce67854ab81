package com.groupbuy.market.infrastructure.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The text an Instant parameter is sent as: digit by digit, exactly the formatter's text it replaced (#19). */
class UtcInstantTypeHandlerTest {

    private static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static String formatted(Instant value) {
        return FORMATTER.format(LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }

    @Test
    void writesUtcTextWithMillisecondsCutNotRounded() {
        assertThat(UtcInstantTypeHandler.toDatabaseText(Instant.parse("2026-12-01T16:24:05.678999999Z")))
                .isEqualTo("2026-12-01 16:24:05.678");
        assertThat(UtcInstantTypeHandler.toDatabaseText(Instant.parse("2024-02-29T00:00:00Z")))
                .isEqualTo("2024-02-29 00:00:00.000");
        assertThat(UtcInstantTypeHandler.toDatabaseText(Instant.parse("1969-12-31T23:59:59.999Z")))
                .isEqualTo("1969-12-31 23:59:59.999");
        assertThat(UtcInstantTypeHandler.toDatabaseText(Instant.parse("0001-01-01T00:00:00.001Z")))
                .isEqualTo("0001-01-01 00:00:00.001");
        assertThat(UtcInstantTypeHandler.toDatabaseText(Instant.parse("9999-12-31T23:59:59.999Z")))
                .isEqualTo("9999-12-31 23:59:59.999");
    }

    @Test
    void equalsTheFormattersTextFromTheYearOneToNineThousandNineHundredNinetyNine() {
        Instant[] edges = {
            Instant.EPOCH,
            Instant.EPOCH.minusNanos(1),
            Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
        };
        for (Instant edge : edges) {
            assertThat(UtcInstantTypeHandler.toDatabaseText(edge))
                    .as(edge.toString())
                    .isEqualTo(formatted(edge));
        }
        SplittableRandom random = new SplittableRandom(19);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant value = Instant.ofEpochSecond(random.nextLong(from, to), random.nextInt(1_000_000_000));
            assertThat(UtcInstantTypeHandler.toDatabaseText(value))
                    .as(value.toString())
                    .isEqualTo(formatted(value));
        }
        Instant now = Instant.now();
        for (int i = 0; i < 100_000; i++) {
            Instant value = now.plusNanos(random.nextLong(-86_400_000_000_000L, 86_400_000_000_000L));
            assertThat(UtcInstantTypeHandler.toDatabaseText(value))
                    .as(value.toString())
                    .isEqualTo(formatted(value));
        }
    }

    /**
     * Outside the years 1–9999 there is no database text: the formatter wrote the year of its era, and a retention
     * bound of ten thousand years ago ({@code -7967}) went out as {@code 7968}, a date after every delivered task.
     */
    @Test
    void aTimeOutsideTheYearsOneToNineThousandNineHundredNinetyNineIsRefused() {
        Instant[] outside = {
            Instant.parse("0001-01-01T00:00:00Z").minusMillis(1),
            Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
            Instant.parse("-0001-06-15T12:00:00Z"),
            Instant.parse("-7967-07-23T00:00:00Z"),
            Instant.parse("+12345-06-15T12:00:00Z"),
            Instant.MIN,
            Instant.MAX,
        };
        for (Instant value : outside) {
            assertThatThrownBy(() -> UtcInstantTypeHandler.toDatabaseText(value))
                    .as(value.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the years 1-9999");
        }
    }
}
