package com.groupbuy.market.config;

import java.time.Duration;
import lombok.Getter;
import lombok.Setter;

/** The settings every group commit has (#19: locks, settlements): on or off, batch size, the writer's window. */
@Getter
@Setter
public abstract class GroupCommitProperties {

    /** Off: every write is a transaction of its own (the default is each kind's). */
    private boolean enabled;
    /** Writes in one transaction at most. */
    private int maxBatch = 64;
    /**
     * How long the writer waits for more writes after the first of a batch. Zero: none; a batch is whatever queued
     * while the previous one was being written, so a lone write on an idle service is written at once.
     */
    private Duration maxWait = Duration.ZERO;

    protected GroupCommitProperties(boolean enabled) {
        this.enabled = enabled;
    }
}
