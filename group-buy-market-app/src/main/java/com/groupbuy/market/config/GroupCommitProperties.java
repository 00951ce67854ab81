package com.groupbuy.market.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import lombok.Getter;
import lombok.Setter;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** The settings every group commit has (#19: locks, settlements): on or off, batch size, the writer's window. */
@Getter
@Setter
public abstract class GroupCommitProperties {

    /** Off: every write is a transaction of its own (the default is each kind's). */
    private boolean enabled;
    /**
     * Writes in one transaction at most: 1 to 1,000 (else the start is refused; under 1 was refused without the
     * setting's name, and one multi-row statement of several thousand rows runs past the server's 65,535 placeholders).
     */
    @Min(1)
    @Max(1_000)
    private int maxBatch = 64;
    /**
     * How long the writer waits for more writes after the first of a batch. Zero: none; a batch is whatever queued
     * while the previous one was being written, so a lone write on an idle service is written at once. 0 to 1 s (else
     * the start is refused): every write of a batch, and its partner's request, waits it.
     */
    @DurationMin(millis = 0, message = "must be zero or positive")
    @DurationMax(seconds = 1)
    private Duration maxWait = Duration.ZERO;

    protected GroupCommitProperties(boolean enabled) {
        this.enabled = enabled;
    }
}
