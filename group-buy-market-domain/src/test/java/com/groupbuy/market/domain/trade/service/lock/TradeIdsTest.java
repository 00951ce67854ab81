package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;

/** The ids a lock writes have the shapes partners store: 8 digits for a team, 12 for an order, no leading zero. */
class TradeIdsTest {

    private final TradeIds ids = new TradeIds();

    @RepeatedTest(20)
    void aTeamIdIsEightDigitsAndAnOrderIdTwelveNeitherStartingWithZero() {
        assertThat(ids.teamId()).matches("[1-9][0-9]{7}");
        assertThat(ids.orderId()).matches("[1-9][0-9]{11}");
    }
}
