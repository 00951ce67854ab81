package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delay lanes' rule: which lane a close check waits in next, and for how long. */
class DelayLegTest {

    @Test
    void aLocksCheckWithinALaneWaitsInItsNominalLaneForTheTimeItHasLeft() {
        DelayLeg leg = DelayLeg.of(Duration.ofMinutes(16), Duration.ofSeconds(950));

        assertThat(leg).isEqualTo(new DelayLeg(Duration.ofMinutes(16), Duration.ofSeconds(950)));
        assertThat(leg.reaches(Duration.ofSeconds(950))).isTrue();
        assertThat(DelayLeg.of(DelayLeg.LONGEST, DelayLeg.LONGEST).expiresIn()).isEqualTo(DelayLeg.LONGEST);
    }

    /** RabbitMQ refuses an expiration over 2^32 - 1 ms: a check due further off (or of a longer length) hops. */
    @Test
    void aCheckBeyondWhatALaneCarriesHopsThroughTheLongestHopLane() {
        Duration eightyDays = Duration.ofDays(80);

        DelayLeg leg = DelayLeg.of(eightyDays, eightyDays);

        assertThat(leg).isEqualTo(new DelayLeg(Duration.ofSeconds(1L << 22), Duration.ofSeconds(1L << 22)));
        assertThat(leg.expiresIn()).isLessThanOrEqualTo(DelayLeg.LONGEST);
        assertThat(leg.reaches(eightyDays)).isFalse();
        // Published late, with less left than a lane carries, a check of such a length still hops (its length names
        // no lane we keep).
        assertThat(DelayLeg.of(eightyDays, Duration.ofDays(10)).lane()).isEqualTo(Duration.ofSeconds(1L << 19));
    }

    /**
     * Hop after hop toward any due time: never past it, never more than the fixed hop lanes, at most 24 hops (the 1-second lane twice) plus one
     * per 48.5 days beyond 97, and the last leg (under a second) waits exactly what is left.
     */
    @Test
    void hopsReachAnyDueTimeExactlyThroughAtMostTheFixedHopLanes() {
        Set<Duration> lanes = new HashSet<>();
        for (long ms :
                new long[] {1, 999, 1_000, 1_001, 65_537, 3_600_000, 86_399_999, 0xFFFF_FFFFL, 400L * 86_400_000}) {
            Duration left = Duration.ofMillis(ms);
            int hops = 0;
            while (!left.isZero()) {
                DelayLeg leg = DelayLeg.hop(left);
                assertThat(leg.expiresIn())
                        .isPositive()
                        .isLessThanOrEqualTo(left)
                        .isLessThanOrEqualTo(leg.lane());
                assertThat(leg.expiresIn().equals(leg.lane()) || leg.reaches(left))
                        .as("a hop waits its lane's full length, only the last leg less")
                        .isTrue();
                lanes.add(leg.lane());
                left = left.minus(leg.expiresIn());
                hops++;
            }
            long beyond = Math.max(0, ms / 1000 - (2L << 22)) / (1L << 22) + 1;
            assertThat(hops).isLessThanOrEqualTo(DelayLeg.HOP_LANES + 1 + (int) beyond);
        }
        assertThat(lanes).hasSizeLessThanOrEqualTo(DelayLeg.HOP_LANES).allSatisfy(lane -> {
            assertThat(Long.bitCount(lane.getSeconds())).isEqualTo(1);
            assertThat(lane).isLessThanOrEqualTo(DelayLeg.LONGEST_HOP);
        });
        assertThat(DelayLeg.LONGEST_HOP).isLessThanOrEqualTo(DelayLeg.LONGEST);
    }
}
