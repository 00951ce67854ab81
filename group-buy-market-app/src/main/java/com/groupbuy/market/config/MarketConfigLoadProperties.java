package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The in-process cache of market configuration: how long a partner's goods configuration is kept
 * ({@code gbm.market.config-cache-ttl}, given to the infrastructure module's repository as the
 * {@code marketConfigCacheTtl} bean). It is read in one statement, so no pool loads parts of it beside the others
 * ({@code gbm.market.config-load-threads}, which sized that pool, is no longer read).
 */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.market")
public class MarketConfigLoadProperties {

    /**
     * How long a partner's goods configuration (its mapping, activity, discount and goods, or its absence) is kept
     * in-process: a change in the tables is seen within it. 1 s to 1 h (else the start is refused): it was read by
     * {@code @Value} unbounded, so zero kept nothing (every trial and lock read the tables again), a negative one
     * stopped the start inside Guava without naming the setting, and a slipped unit ({@code 30d}) kept an abandoned
     * activity or an old price that long (no endpoint empties the cache).
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration configCacheTtl = Duration.ofSeconds(30);
}
