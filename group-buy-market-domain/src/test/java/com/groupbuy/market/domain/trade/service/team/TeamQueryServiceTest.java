package com.groupbuy.market.domain.trade.service.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.ITeamQueryRepository;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many joinable teams a trial may list ({@code gbm.trial.teams-shown}): a bounded setting, checked at start; and
 * which it lists.
 */
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

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    /** The caller's own open team first, then others of its partner, the own one excluded from them. */
    @Test
    void theCallersOwnTeamComesFirstAndIsNotListedAgainAmongTheOthers() {
        Teams teams = new Teams();
        teams.own = team("own");

        List<TeamVO> shown = new TeamQueryService(teams, 2).teamsFor(7L, "s01", "c01", "u1", NOW);

        assertThat(shown).extracting(TeamVO::getTeamId).containsExactly("own", "other-1", "other-2");
        assertThat(teams.asked).containsExactly("7 s01 c01 excluding own up to 2");
    }

    @Test
    void withoutAnOwnTeamOnlyTheOthersAreShownNoneExcluded() {
        Teams teams = new Teams();

        List<TeamVO> shown = new TeamQueryService(teams, 1).teamsFor(7L, "s01", "c01", "u1", NOW);

        assertThat(shown).extracting(TeamVO::getTeamId).containsExactly("other-1");
        assertThat(teams.asked).containsExactly("7 s01 c01 excluding null up to 1");
    }

    /** Zero others shown: the joinable teams are not even read, the caller's own team still is. */
    @Test
    void withNoOthersShownOnlyTheOwnTeamIsRead() {
        Teams teams = new Teams();
        teams.own = team("own");

        List<TeamVO> shown = new TeamQueryService(teams, 0).teamsFor(7L, "s01", "c01", "u1", NOW);

        assertThat(shown).extracting(TeamVO::getTeamId).containsExactly("own");
        assertThat(teams.asked).isEmpty();
    }

    @Test
    void theStatisticIsThePartnersAsRead() {
        Teams teams = new Teams();

        assertThat(new TeamQueryService(teams, 2).statistic(7L, "s01", "c01")).isSameAs(teams.statistic);
    }

    private static TeamVO team(String id) {
        return TeamVO.builder().teamId(id).build();
    }

    /** The caller's own team as set; {@code limit} joinable others named other-1, other-2...; one statistic. */
    private static final class Teams implements ITeamQueryRepository {
        TeamVO own;
        final List<String> asked = new ArrayList<>();
        final TeamStatisticVO statistic = new TeamStatisticVO(3, 1, 5);

        @Override
        public TeamVO queryOwnOpenTeam(Long activityId, String source, String channel, String userId, Instant now) {
            return own;
        }

        @Override
        public List<TeamVO> queryJoinableTeams(
                Long activityId, String source, String channel, String excludeTeamId, Instant now, int limit) {
            asked.add(activityId + " " + source + " " + channel + " excluding " + excludeTeamId + " up to " + limit);
            return IntStream.rangeClosed(1, limit)
                    .mapToObj(i -> team("other-" + i))
                    .toList();
        }

        @Override
        public TeamStatisticVO queryStatistic(Long activityId, String source, String channel) {
            return statistic;
        }
    }
}
