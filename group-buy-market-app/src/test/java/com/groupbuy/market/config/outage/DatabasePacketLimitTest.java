package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
