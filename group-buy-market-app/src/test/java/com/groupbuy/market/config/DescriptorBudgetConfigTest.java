package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.DescriptorBudgetConfig.Budget;
import org.junit.jupiter.api.Test;

/** What the HTTP port may keep open under a descriptor limit (DescriptorLimitIT runs it under a real one). */
class DescriptorBudgetConfigTest {

    @Test
    void aLimitThatHoldsTomcatsConnectionsAndTheReserveKeepsThem() {
        assertThat(new Budget(65_536, 300, 1024, 200).maxConnections(8192)).isEqualTo(8192);
        assertThat(new Budget(65_536, 300, 1024, 200).maxConnections(500)).isEqualTo(500);
    }

    @Test
    void aLowerLimitBoundsTheConnectionsToWhatItLeaves() {
        assertThat(new Budget(4096, 300, 1024, 200).maxConnections(8192)).isEqualTo(4096 - 300 - 1024);
        assertThat(new Budget(4096, 300, 1024, 200).maxConnections(-1))
                .as("unlimited")
                .isEqualTo(4096 - 300 - 1024);
    }

    @Test
    void aLimitLeavingFewerConnectionsThanRequestThreadsRefusesTheStartNamingTheNumbers() {
        assertThatThrownBy(() -> new Budget(1024, 300, 1024, 200).maxConnections(8192))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start")
                .hasMessageContaining("may open 1024 file descriptors")
                .hasMessageContaining("LimitNOFILE")
                .hasMessageContaining("300 are open")
                .hasMessageContaining("gbm.http.descriptor-reserve keeps 1024")
                .hasMessageContaining("leaves 0 for the HTTP port's connections")
                .hasMessageContaining("server.tomcat.threads.max (200)")
                .hasMessageContaining("at least 1524");
        assertThat(new Budget(1524, 300, 1024, 200).maxConnections(8192)).isEqualTo(200);
    }
}
