package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;

/**
 * The state of one of our consumers' records of one message (the stored {@code mq_consumption_record.status}):
 * <pre>
 * PROCESSING ──effect done──> SUCCESS
 * PROCESSING ──failed attempt, tries left──> PROCESSING ──3rd failure──> FAIL (+ dead letter)
 * </pre>
 */
public enum ConsumptionStatus {
    PROCESSING(0),
    SUCCESS(1),
    FAIL(2);

    private final int code;

    ConsumptionStatus(int code) {
        this.code = code;
    }

    /** The stored value. */
    public int code() {
        return code;
    }

    public static ConsumptionStatus of(int code) {
        for (ConsumptionStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no consumption status " + code);
    }

    /** The message's effect is done. */
    public ConsumptionStatus succeed() {
        return from(PROCESSING, "success", SUCCESS);
    }

    /** An attempt failed and the message will be tried again. */
    public ConsumptionStatus attemptFailed() {
        return from(PROCESSING, "a failed attempt", PROCESSING);
    }

    /** The last try failed: the record fails and the message goes to the dead letters. */
    public ConsumptionStatus giveUp() {
        return from(PROCESSING, "giving up", FAIL);
    }

    private ConsumptionStatus from(ConsumptionStatus required, String event, ConsumptionStatus to) {
        if (this != required) {
            throw new IllegalStateTransitionException("consumption record", name(), event);
        }
        return to;
    }
}
