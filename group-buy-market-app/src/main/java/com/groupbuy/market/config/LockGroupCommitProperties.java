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

    /**
     * On by default since it was measured (2026-12-01, quiet machine: +32 % lock opening, +37 % joining, p99 unchanged)
     * and the whole suite passed with it on; off: every lock is a transaction of its own.
     */
    private boolean enabled = true;
    /** Locks written in one transaction at most. */
    private int maxBatch = 64;
    /**
     * How long the writer waits for more locks after the first of a batch. Zero: none; a batch is whatever queued
     * while the previous one was being written, so a lone lock on an idle service is written at once.
     */
    private Duration maxWait = Duration.ZERO;
}
