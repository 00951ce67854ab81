package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void theEphemeralRangeIsReadAsTheKernelWritesIt() throws Exception {
        String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0);
        int low = Integer.parseInt(range.trim().split("\\s+")[0]);

        assertThat(FreePorts.ephemeralLow()).isEqualTo(low);
    }

    @Test
    void portsAreDrawnBelowTheEphemeralRange() {
        int low = FreePorts.ephemeralLow();
        // Linux's default range starts at 32768: room below it for the draw (a host with less falls back to port 0).
        assertThat(low).isGreaterThan(12_000);
        for (int i = 0; i < 20; i++) {
            assertThat(FreePorts.next()).isBetween(10_000, low - 1);
        }
    }
}
