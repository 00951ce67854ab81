package com.groupbuy.market.domain.outbox.model.valobj;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.List;

/**
 * A callback task's state (the stored {@code notify_task.notify_status}) and its transitions:
 * <pre>
 * INIT, RETRY ──delivered──> SUCCESS
 * INIT, RETRY ──failed attempt, tries left──> RETRY ──failed attempt, none left──> FAIL
 * INIT, RETRY ──the endpoint's breaker refused (no attempt)──> RETRY
 * FAIL ──operator re-drive──> RETRY
 * </pre>
 */
public enum NotifyTaskStatus {
    INIT(0),
    SUCCESS(1),
    RETRY(2),
    FAIL(3);

    private final int code;

    NotifyTaskStatus(int code) {
        this.code = code;
    }

    /** The stored value. */
    public int code() {
        return code;
    }

    public static NotifyTaskStatus of(int code) {
        for (NotifyTaskStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no notify task status " + code);
    }

    /** Still owed and deliverable: a claim may take it when it is due. */
    public boolean isPending() {
        return this == INIT || this == RETRY;
    }

    /** The states a claim may take. */
    public static List<NotifyTaskStatus> pending() {
        return List.of(INIT, RETRY);
    }

    /** The states still owed to a partner (pending, or failed until an operator re-drives it). */
    public static List<NotifyTaskStatus> owed() {
        return List.of(INIT, RETRY, FAIL);
    }

    /** One delivery attempt's outcome: delivered, retried while tries are left, failed when none is. */
    public NotifyTaskStatus afterAttempt(boolean delivered, boolean triesLeft) {
        if (!isPending()) {
            throw new IllegalStateTransitionException("notify task", name(), "a delivery attempt");
        }
        if (delivered) {
            return SUCCESS;
        }
        return triesLeft ? RETRY : FAIL;
    }

    /** The endpoint's breaker or bulkhead refused the call: no attempt, back to RETRY at the probe time. */
    public NotifyTaskStatus defer() {
        if (!isPending()) {
            throw new IllegalStateTransitionException("notify task", name(), "a deferral");
        }
        return RETRY;
    }

    /** An operator re-drives a failed task. */
    public NotifyTaskStatus redrive() {
        if (this != FAIL) {
            throw new IllegalStateTransitionException("notify task", name(), "a re-drive");
        }
        return RETRY;
    }
}
