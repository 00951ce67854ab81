package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabasePacketLimitTest {

    @Test
    void aPacketBelowFourMebibytesIsRefusedNamingTheSetting() {
        for (long packet : new long[] {1024, 1024 * 1024, DatabasePacketLimit.REQUIRED_BYTES - 1}) {
            assertThatThrownBy(() -> DatabasePacketLimit.verify(packet))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("refusing to start: the database's max_allowed_packet is " + packet)
                    .hasMessageContaining("set max_allowed_packet to at least 4M");
        }
    }

    @Test
    void fourMebibytesAndTheServersDefaultsStart() {
        for (long packet : new long[] {DatabasePacketLimit.REQUIRED_BYTES, 16L << 20, 64L << 20}) {
            assertThatCode(() -> DatabasePacketLimit.verify(packet)).doesNotThrowAnyException();
        }
    }

    @Test
    void aDriverLimitBelowFourMebibytesIsRefusedAndNoneOrAHigherOneStarts() {
        assertThatThrownBy(() ->
                        DatabasePacketLimit.check(new Properties(), "jdbc:mysql://db:3306/gbm?maxAllowedPacket=65535"))
                .hasMessageStartingWith("refusing to start: the database URL or spring.datasource.hikari"
                        + ".data-source-properties sets maxAllowedPacket=65535");
        Properties properties = new Properties();
        properties.setProperty("maxAllowedPacket", "1048576");
        assertThatThrownBy(() -> DatabasePacketLimit.check(properties, "jdbc:mysql://db:3306/gbm"))
                .isInstanceOf(IllegalStateException.class);
        properties.setProperty("maxAllowedPacket", "67108864");
        assertThatCode(() -> DatabasePacketLimit.check(properties, "jdbc:mysql://db:3306/gbm?maxAllowedPacket=1024"))
                .as("the property, which the driver takes before the URL's")
                .doesNotThrowAnyException();
        assertThatCode(() -> DatabasePacketLimit.check(new Properties(), "jdbc:mysql://db:3306/gbm"))
                .doesNotThrowAnyException();
    }
}
