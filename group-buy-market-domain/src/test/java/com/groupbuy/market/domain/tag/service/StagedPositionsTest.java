package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an import run's staging bitmap must hold: each distinct position once, those beyond an int included. */
class StagedPositionsTest {

    /** Found by mutation testing: the positions kept in the set (beyond an int) subtracted from the count survived. */
    @Test
    void positionsBeyondAnIntAreCountedAndEachPositionOnce() {
        StagedPositions staged = new StagedPositions();
        long beyond = Integer.MAX_VALUE + 1L;

        staged.addAll(new long[] {0, 1, Integer.MAX_VALUE, beyond});
        staged.addAll(new long[] {1, beyond, beyond + 1});

        assertThat(staged.count()).isEqualTo(5);
    }
}
