package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Crowd-tag import settings ({@code gbm.tag.*}). */
@Getter
@Setter
@Validated
@ConfigurationProperties(prefix = "gbm.tag")
public class CrowdTagProperties {

    /** Member rows read, given positions and written to the bitmap per page of an import. */
    private int importBatchSize = 1000;

    /**
     * How long one instance's claim to rebuild a tag's bitmap Redis lost holds (released when the rebuild ends; a dead
     * instance's claim runs out after this, then another instance rebuilds). Checks answer from the database meanwhile.
     * 1 min to 1 day (else the start is refused): zero or less is no expiry Redis takes, so no claim, no rebuild, and
     * every check of the tag answered from the database for good; a bare {@code 10} (10 ms) let every instance rebuild
     * at once; past a day a dead instance's claim kept the tag on the database that long.
     */
    @DurationMin(minutes = 1)
    @DurationMax(days = 1)
    private Duration rebuildLease = Duration.ofMinutes(10);

    /**
     * How long the user bit index keeps what it read in-process: a position (which never changes) and "no position
     * yet" (which an import on another instance may end: such a user is a member there within it). 1 s to 1 h (else
     * the start is refused): it was read by {@code @Value} unbounded, so zero kept nothing (every trial of a tagged
     * activity read the table), a negative one stopped the start inside Guava without naming the setting, and a
     * slipped unit ({@code 30d}) left newly tagged users non-members on other instances that long.
     */
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    private Duration userIndexCacheTtl = Duration.ofSeconds(30);
}
