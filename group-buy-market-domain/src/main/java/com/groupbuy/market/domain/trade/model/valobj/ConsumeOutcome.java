package com.groupbuy.market.domain.trade.model.valobj;

/**
 * What the listener does with a delivery after the consumer decided: acknowledge it, hand it back to the broker
 * (for another attempt, or until another delivery's attempt has its outcome), or move it to the dead-letter queue with
 * {@code reason} (then report it dead-lettered, naming {@code version}, and acknowledge).
 */
public record ConsumeOutcome(Action action, String reason, int attempts, int version) {

    public enum Action {
        /** The effect happened now. */
        DONE,
        /** Seen before and decided (done or dead-lettered): nothing to do. */
        DUPLICATE,
        /** This attempt failed; attempts are left. */
        RETRY,
        /**
         * Another delivery of the message started an attempt between this one's read of the record and its own start:
         * no attempt counted, and handed back rather than acknowledged — that delivery's channel may be gone, so its
         * outcome may never be handed back or acknowledged on it, and this delivery is then the message's only copy.
         */
        BUSY,
        /** Give up: malformed, or out of attempts. */
        DEAD
    }

    public static ConsumeOutcome done(int attempts) {
        return new ConsumeOutcome(Action.DONE, null, attempts, -1);
    }

    public static ConsumeOutcome duplicate(String why) {
        return new ConsumeOutcome(Action.DUPLICATE, why, 0, -1);
    }

    public static ConsumeOutcome retry(String reason, int attempts) {
        return new ConsumeOutcome(Action.RETRY, reason, attempts, -1);
    }

    public static ConsumeOutcome busy(String why) {
        return new ConsumeOutcome(Action.BUSY, why, 0, -1);
    }

    /** Whether the delivery goes back to the broker (after the listener's pause) to be delivered again. */
    public boolean handedBack() {
        return action == Action.RETRY || action == Action.BUSY;
    }

    public static ConsumeOutcome dead(String reason, int attempts, int version) {
        return new ConsumeOutcome(Action.DEAD, reason, attempts, version);
    }
}
