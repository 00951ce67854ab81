package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements on group_buy_order (teams). */
@Mapper
public interface IGroupBuyOrderDao {

    void insert(TeamPO team);

    /** The new teams of locks written together (group commit), in one multi-row statement. */
    void insertAll(@Param("teams") List<TeamPO> teams);

    TeamPO queryByTeamId(@Param("teamId") String teamId);

    /** One more locked place, only on an open, unexpired team below its target; returns rows changed (0 or 1). */
    int takePlace(@Param("teamId") String teamId, @Param("now") Instant now, @Param("open") int openStatus);

    /** The team row, locked until the transaction ends (null when there is none). */
    TeamPO lockByTeamId(@Param("teamId") String teamId);
}
