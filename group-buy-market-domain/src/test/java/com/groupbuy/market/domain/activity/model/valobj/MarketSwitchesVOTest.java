package com.groupbuy.market.domain.activity.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The cut range admits the users whose id hashes (floor mod 100) below it: "1" hashes to 49, "2" to 50, "c" to 99,
 * and "polygenelubricants" to Integer.MIN_VALUE, whose floor mod is 52 (a plain remainder would be -48, admitted).
 */
class MarketSwitchesVOTest {

    @Test
    void aUserIsAdmittedExactlyWhenTheHashOfTheIdIsBelowTheCut() {
        MarketSwitchesVO half = new MarketSwitchesVO(false, 50);

        assertThat(half.admits("1")).isTrue();
        assertThat(half.admits("2")).isFalse();
        assertThat(half.admits("polygenelubricants")).isFalse();
        assertThat(new MarketSwitchesVO(false, 51).admits("2")).isTrue();
    }

    @Test
    void noneAreAdmittedAtZeroAndAllAtAHundredOrMore() {
        for (String user : new String[] {"1", "2", "c", "polygenelubricants"}) {
            assertThat(new MarketSwitchesVO(false, 0).admits(user)).as(user).isFalse();
            assertThat(new MarketSwitchesVO(false, 100).admits(user)).as(user).isTrue();
            assertThat(new MarketSwitchesVO(false, 150).admits(user)).as(user).isTrue();
        }
    }
}
