package com.groupbuy.market.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The pool loading uncached market configuration ({@code gbm.market.config-load-threads}). The cache's TTL, {@code
 * gbm.market.config-cache-ttl}, is read by the repository in the infrastructure module.
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.market")
public class MarketConfigLoadProperties {

    /**
     * Threads loading an uncached goods row beside the activity and discount: 1 to 64 (else the start is refused). 0 or
     * less stopped the start inside the JDK's pool without naming the setting; each thread takes a database connection
     * while it loads (the pool holds 20 by default), so past a few dozen threads only wait for connections the trades
     * need, and a slipped digit started thousands of threads in a burst of misses.
     */
    @Min(1)
    @Max(64)
    private int configLoadThreads = 4;
}
