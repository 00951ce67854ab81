package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import java.time.Instant;
import java.util.List;

/** Read-only views of teams for the trial page; every query is served by an index on group_buy_order(_list). */
public interface ITeamQueryRepository {

    /** The caller's own open team in the activity (with the caller's out trade number), or null. */
    TeamVO queryOwnOpenTeam(Long activityId, String userId, Instant now);

    /**
     * Open teams with places and time left and at least one member still in them, soonest to close first, excluding
     * {@code excludeTeamId}.
     */
    List<TeamVO> queryJoinableTeams(Long activityId, String excludeTeamId, Instant now, int limit);

    TeamStatisticVO queryStatistic(Long activityId);
}
