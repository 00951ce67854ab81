package com.groupbuy.market.domain.trade.model.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import org.junit.jupiter.api.Test;

/** The biz id: one take of one partner's user in one activity, unambiguous whatever the ids hold (V13's format). */
class LockOrderAggregateTest {

    @Test
    void theBizIdNamesActivityPartnerUserAndSequenceSeparatedByTheUnitSeparator() {
        assertThat(bizId(7001L, "s01", "c01", "u1", 2)).isEqualTo("7001\u001Fs01\u001Fc01\u001Fu1\u001F2");
    }

    @Test
    void theSameUserIdAtAnotherPartnerIsAnotherTake() {
        assertThat(bizId(7001L, "s01", "c01", "u1", 1)).isNotEqualTo(bizId(7001L, "s02", "c02", "u1", 1));
        assertThat(bizId(7001L, "s01", "c01", "u1", 1)).isNotEqualTo(bizId(7001L, "s01", "c02", "u1", 1));
    }

    @Test
    void idsHoldingTheOldSeparatorOrDigitsCannotMakeTwoTakesMeet() {
        // "_" and digits are allowed in ids; only control characters are not, and the separator is one.
        assertThat(bizId(7L, "a_b", "c", "u", 1)).isNotEqualTo(bizId(7L, "a", "b_c", "u", 1));
        assertThat(bizId(7L, "s", "c", "u_1", 1)).isNotEqualTo(bizId(7L, "s", "c", "u", 11));
        assertThat(bizId(71L, "s", "c", "u", 1)).isNotEqualTo(bizId(7L, "1s", "c", "u", 1));
    }

    @Test
    void theWidestTakeFitsItsColumn() {
        String widest = bizId(Long.MIN_VALUE, "s".repeat(16), "c".repeat(16), "u".repeat(32), Integer.MAX_VALUE);

        assertThat(widest).hasSize(98).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void aHeldTakeIsFollowedByEveryOtherTakeOfTheLimitOnceThenNone() {
        // Limit 2, one live take (2, the first was refunded): the lock starts at 2, which is held, and tries 1.
        assertThat(LockOrderAggregate.nextTakeSequence(2, 2, 2)).isEqualTo(1);
        assertThat(LockOrderAggregate.nextTakeSequence(1, 2, 2))
                .as("back at the first: full")
                .isZero();
        // Limit 4 starting at 3: 3, 4, 1, 2, then none.
        assertThat(LockOrderAggregate.nextTakeSequence(3, 3, 4)).isEqualTo(4);
        assertThat(LockOrderAggregate.nextTakeSequence(4, 3, 4)).isEqualTo(1);
        assertThat(LockOrderAggregate.nextTakeSequence(1, 3, 4)).isEqualTo(2);
        assertThat(LockOrderAggregate.nextTakeSequence(2, 3, 4)).isZero();
    }

    @Test
    void aLimitOfOneHasNoOtherTake() {
        assertThat(LockOrderAggregate.nextTakeSequence(1, 1, 1)).isZero();
    }

    @Test
    void aStartBeyondTheLimitTriesNothingElse() {
        // The take limit filter refuses such a lock before it writes; never a take beyond the limit all the same.
        assertThat(LockOrderAggregate.nextTakeSequence(3, 3, 2)).isZero();
    }

    @Test
    void anotherTakeChangesTheBizIdOnly() {
        LockOrderAggregate lock = LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .activityId(7L)
                        .source("s")
                        .channel("c")
                        .userId("u")
                        .build())
                .teamId("12345678")
                .orderId("123456789012")
                .takeSequence(2)
                .build();

        LockOrderAggregate other = lock.withTakeSequence(1);

        assertThat(other.bizId()).isEqualTo("7\u001Fs\u001Fc\u001Fu\u001F1");
        assertThat(other.getTeamId()).isEqualTo(lock.getTeamId());
        assertThat(other.getOrderId()).isEqualTo(lock.getOrderId());
        assertThat(other.getCloseChecks()).isEqualTo(lock.getCloseChecks());
    }

    private static String bizId(Long activityId, String source, String channel, String userId, int sequence) {
        return LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .activityId(activityId)
                        .source(source)
                        .channel(channel)
                        .userId(userId)
                        .build())
                .takeSequence(sequence)
                .build()
                .bizId();
    }
}
