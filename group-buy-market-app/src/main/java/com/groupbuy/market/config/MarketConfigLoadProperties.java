package com.groupbuy.market.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The in-process cache of market configuration: how long a row is kept ({@code gbm.market.config-cache-ttl}, given to
 * the infrastructure module's repository as the {@code marketConfigCacheTtl} bean) and the pool loading uncached rows
 * ({@code gbm.market.config-load-threads}).
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

    /**
     * How long activity, discount and goods rows (and rows found absent) are kept in-process: a change in the tables is
     * seen within it. 1 s to 1 h (else the start is refused): it was read by {@code @Value} unbounded, so zero kept
     * nothing (every trial and lock read the tables again), a negative one stopped the start inside Guava without
     * naming the setting, and a slipped unit ({@code 30d}) kept an abandoned activity or an old price that long (no
     * endpoint empties the cache).
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration configCacheTtl = Duration.ofSeconds(30);
}
