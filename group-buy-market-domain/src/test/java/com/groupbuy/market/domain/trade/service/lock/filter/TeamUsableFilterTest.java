package com.groupbuy.market.domain.trade.service.lock.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lock's "can take a place" decision on the team its first read found (an in-memory team store here). */
class TeamUsableFilterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    private final Map<String, Team> teams = new HashMap<>();
    private final TeamUsableFilter filter = new TeamUsableFilter();

    private void team(TeamStatus status, int locked, Instant end) {
        teams.put(
                "t-1",
                Team.builder()
                        .teamId("t-1")
                        .activityId(7L)
                        .targetCount(3)
                        .lockCount(locked)
                        .completeCount(0)
                        .status(status)
                        .validEndTime(end)
                        .build());
    }

    private LockContext join(String teamId, long activityId) {
        LockContext context = new LockContext(NOW);
        context.setNamedTeam(teamId == null ? null : teams.get(teamId));
        filter.apply(
                LockOrderCommand.builder().teamId(teamId).activityId(activityId).build(), context);
        return context;
    }

    @Test
    void anOpenTeamWithAPlaceLeftIsJoined() {
        team(TeamStatus.OPEN, 2, NOW.plusSeconds(1));
        assertThat(join("t-1", 7L).getTeam().getTeamId()).isEqualTo("t-1");
    }

    @Test
    void openingANewTeamNeedsNoTeam() {
        assertThat(join(null, 7L).getTeam()).isNull();
    }

    @ParameterizedTest(name = "{0}, {1} locked, ends in {2}s -> {3}")
    @CsvSource({
        "OPEN, 3, 60, E0006",
        "OPEN, 1, 0, E0206",
        "COMPLETE, 3, 60, E0206",
        "FAILED, 1, 60, E0206",
        "COMPLETE_WITH_REFUND, 2, 60, E0206",
    })
    void aTeamThatCannotTakeAPlaceIsRefused(TeamStatus status, int locked, long endsIn, String code) {
        team(status, locked, NOW.plusSeconds(endsIn));
        assertThatThrownBy(() -> join("t-1", 7L))
                .isInstanceOf(AppException.class)
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo(code);
    }

    @Test
    void anUnknownTeamOrOneOfAnotherActivityIsRefused() {
        team(TeamStatus.OPEN, 1, NOW.plusSeconds(60));
        assertThatThrownBy(() -> join("t-x", 7L))
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0205");
        assertThatThrownBy(() -> join("t-1", 8L))
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0205");
    }
}
