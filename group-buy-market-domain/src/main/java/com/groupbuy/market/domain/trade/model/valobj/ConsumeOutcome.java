package com.groupbuy.market.domain.trade.model.valobj;

/**
 * What the listener does with a delivery after the consumer decided: acknowledge it, hand it back to the broker
 * for another attempt, or move it to the dead-letter queue with {@code reason} (then report it dead-lettered, naming
 * {@code version}, and acknowledge).
 */
public record ConsumeOutcome(Action action, String reason, int attempts, int version) {

    public enum Action {
        /** The effect happened now. */
        DONE,
        /** Seen before (done, dead-lettered, or being handled by another delivery): nothing to do. */
        DUPLICATE,
        /** This attempt failed; attempts are left. */
        RETRY,
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

    public static ConsumeOutcome dead(String reason, int attempts, int version) {
        return new ConsumeOutcome(Action.DEAD, reason, attempts, version);
    }
}
