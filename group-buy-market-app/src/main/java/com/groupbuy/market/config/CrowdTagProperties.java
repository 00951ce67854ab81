package com.groupbuy.market.config;

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
}
