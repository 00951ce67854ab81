package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.TeamStatisticPO;
import com.groupbuy.market.infrastructure.trade.po.TeamViewPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Read-only team queries for the trial page, each of one partner's teams only; each uses an index named in its XML. */
@Mapper
public interface ITeamQueryDao {

    TeamViewPO queryOwnOpenTeam(
            @Param("activityId") Long activityId,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId,
            @Param("now") Instant now,
            @Param("live") List<Integer> liveStatuses,
            @Param("open") int openStatus);

    List<TeamViewPO> queryJoinableTeams(
            @Param("activityId") Long activityId,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("excludeTeamId") String excludeTeamId,
            @Param("now") Instant now,
            @Param("limit") int limit,
            @Param("live") List<Integer> liveStatuses,
            @Param("open") int openStatus);

    TeamStatisticPO queryStatistic(
            @Param("activityId") Long activityId,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("formed") List<Integer> formedStatuses);
}
