package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Group commit of locks ({@code gbm.lock.group-commit.*}, #19): concurrent locks written in one transaction. */
@Getter
@Setter
@ConfigurationProperties(prefix = "gbm.lock.group-commit")
public class LockGroupCommitProperties {

    /** Off: every lock is a transaction of its own. */
    private boolean enabled = false;
    /** Locks written in one transaction at most. */
    private int maxBatch = 64;
    /**
     * How long the writer waits for more locks after the first of a batch. Zero: none; a batch is whatever queued
     * while the previous one was being written, so a lone lock on an idle service is written at once.
     */
    private Duration maxWait = Duration.ZERO;
}
