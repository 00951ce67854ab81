package com.groupbuy.market.domain.trade.service.team;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How many joinable teams a trial may list ({@code gbm.trial.teams-shown}): a bounded setting, checked at start. */
class TeamQueryServiceTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 100})
    void aSettingATrialCanServeIsTaken(int othersShown) {
        assertThatCode(() -> new TeamQueryService(null, othersShown)).doesNotThrowAnyException();
    }

    /** Each sized every trial's list: overflowing, negative or heap-sized, every trial failed (TrialTeamsShownIT). */
    @ParameterizedTest
    @ValueSource(ints = {-2, -1, 101, 200_000_000, Integer.MAX_VALUE})
    void aSettingNoTrialCanServeRefusesToStart(int othersShown) {
        assertThatThrownBy(() -> new TeamQueryService(null, othersShown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gbm.trial.teams-shown must be 0..100")
                .hasMessageContaining("got " + othersShown);
    }
}
