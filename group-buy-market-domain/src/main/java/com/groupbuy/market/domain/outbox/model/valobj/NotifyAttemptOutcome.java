package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * One attempt ready to be recorded: the task as it was claimed (its fencing token included), when the attempt started,
 * how the partner answered, and the state and next attempt time the task moves to.
 */
public record NotifyAttemptOutcome(
        NotifyTaskVO task,
        Instant attemptTime,
        DeliveryResult result,
        NotifyTaskStatus newStatus,
        Instant nextAttemptTime) {}
