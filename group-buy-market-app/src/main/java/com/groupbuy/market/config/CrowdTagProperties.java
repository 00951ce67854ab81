package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Crowd-tag import settings ({@code gbm.tag.*}). */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.tag")
public class CrowdTagProperties {

    /** Member rows read, given positions and written to the bitmap per page of an import. */
    private int importBatchSize = 1000;

    /**
     * How long one instance's claim to rebuild a tag's bitmap Redis lost holds (released when the rebuild ends; a dead
     * instance's claim runs out after this, then another instance rebuilds). Checks answer from the database meanwhile.
     */
    private Duration rebuildLease = Duration.ofMinutes(10);
}
