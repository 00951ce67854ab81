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
                        .source("s01")
                        .channel("c01")
                        .build());
    }

    private LockContext join(String teamId, long activityId) {
        return join(teamId, activityId, "s01", "c01");
    }

    private LockContext join(String teamId, long activityId, String source, String channel) {
        LockContext context = new LockContext(NOW);
        context.setNamedTeam(teamId == null ? null : teams.get(teamId));
        filter.apply(
                LockOrderCommand.builder()
                        .teamId(teamId)
                        .activityId(activityId)
                        .source(source)
                        .channel(channel)
                        .build(),
                context);
        return context;
    }

    /**
     * Another partner's team answers as a team that does not exist, whatever its state (open with places, or even one
     * that would be refused for another reason): its existence is not the caller's to learn. Compared exactly.
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"s02, c01", "s01, c02", "S01, c01", "'s01 ', c01", "s01, 'c01 '"})
    void anotherPartnersTeamIsRefusedAsUnknown(String source, String channel) {
        team(TeamStatus.OPEN, 1, NOW.plusSeconds(60));
        assertThatThrownBy(() -> join("t-1", 7L, source, channel))
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0205");
        team(TeamStatus.FAILED, 3, NOW.minusSeconds(60));
        assertThatThrownBy(() -> join("t-1", 7L, source, channel))
                .extracting(e -> ((AppException) e).getCode())
                .isEqualTo("E0205");
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
