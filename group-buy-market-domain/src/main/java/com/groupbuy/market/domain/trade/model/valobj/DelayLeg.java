package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Duration;

/**
 * Which delay lane a close check waits in next, and for how long (#15): the one rule of the publisher (a lock's
 * check) and of the consumer (a check published again).
 * <p>
 * A lock's check waits in the lane of its nominal length for the time it has left, as long as both fit a lane
 * ({@link #LONGEST}: RabbitMQ reads a message's expiration as an unsigned 32-bit count of milliseconds, about 49.7
 * days, and refuses a longer one by closing the channel). Anything else goes in hops through the <em>hop lanes</em>, a
 * fixed set of {@value #HOP_LANES} lengths (1, 2, 4, … 2^22 seconds, the last 48.5 days): each hop is the longest hop
 * lane not beyond the time left and waits its full length, so a hop lane holds (nearly) only messages of its own
 * length and its head is always the first to expire; the check comes back early and is published again at each hop
 * until it is due. Less than a second left waits what is left in the 1-second lane. So the lanes we declare are the
 * configured nominal lengths plus at most {@value #HOP_LANES}, whatever a message says; a due time takes at most 24
 * hops (the 1-second lane twice) plus one per 48.5 days beyond 97 days, and comes back at most a second late (a last
 * leg under a second behind a full one in the 1-second lane), plus the broker's and the consumer's time per hop.
 */
public record DelayLeg(Duration lane, Duration expiresIn) {

    /** The longest wait a lane carries: 2^32 − 1 ms. */
    public static final Duration LONGEST = Duration.ofMillis(0xFFFF_FFFFL);

    /** How many hop lanes there are: 2^0 to 2^22 seconds. */
    public static final int HOP_LANES = 23;

    /** The longest hop lane, 2^22 s (48.5 days): the longest power of two seconds within {@link #LONGEST}. */
    public static final Duration LONGEST_HOP = Duration.ofSeconds(1L << (HOP_LANES - 1));

    /** The leg of a check of nominal length {@code nominal} that has {@code left} to wait (the publisher's). */
    public static DelayLeg of(Duration nominal, Duration left) {
        if (nominal.compareTo(LONGEST) <= 0 && left.compareTo(LONGEST) <= 0) {
            return new DelayLeg(nominal, left);
        }
        return hop(left);
    }

    /** The next hop toward a due time {@code left} away: the longest hop lane not beyond it, or what is left. */
    public static DelayLeg hop(Duration left) {
        long seconds = Math.min(LONGEST_HOP.getSeconds(), Long.highestOneBit(Math.max(1, left.getSeconds())));
        Duration lane = Duration.ofSeconds(seconds);
        return new DelayLeg(lane, left.compareTo(lane) < 0 ? left : lane);
    }

    /** Whether this leg ends at the due time (else the check comes back early and hops again). */
    public boolean reaches(Duration left) {
        return expiresIn.compareTo(left) >= 0;
    }
}
