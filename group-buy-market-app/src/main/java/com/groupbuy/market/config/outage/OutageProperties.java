package com.groupbuy.market.config.outage;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How we behave while Redis or the database is down ({@code gbm.outage.*}). */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.outage")
public class OutageProperties {

    /** Failures in a row that open a dependency's breaker. */
    private int breakerThreshold = 3;
    /** How long an open breaker fails calls at once before letting one probe through. */
    private Duration breakerOpenFor = Duration.ofSeconds(2);
    /** The Retry-After of an E0401 answer. */
    private Duration retryAfter = Duration.ofSeconds(5);
    /** Redisson: extra attempts of a command that found no connection, and the wait between them. */
    private int redisRetryAttempts = 1;

    private Duration redisRetryInterval = Duration.ofMillis(200);
}
