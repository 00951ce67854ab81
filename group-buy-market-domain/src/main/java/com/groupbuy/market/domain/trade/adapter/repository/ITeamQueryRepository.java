package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import java.time.Instant;
import java.util.List;

/**
 * Read-only views of teams for the trial page; every query is served by an index on group_buy_order(_list). Each sees
 * only teams of one partner ({@code source} + {@code channel}, compared exactly): the partner that opened them.
 */
public interface ITeamQueryRepository {

    /**
     * The caller's own open team in the activity (with the caller's out trade number), or null: the user's live order
     * of this partner, in a team of this partner.
     */
    TeamVO queryOwnOpenTeam(Long activityId, String source, String channel, String userId, Instant now);

    /**
     * Open teams of the partner with places and time left and at least one member still in them, soonest to close
     * first, excluding {@code excludeTeamId}.
     */
    List<TeamVO> queryJoinableTeams(
            Long activityId, String source, String channel, String excludeTeamId, Instant now, int limit);

    /** The partner's teams of the activity, counted. */
    TeamStatisticVO queryStatistic(Long activityId, String source, String channel);
}
