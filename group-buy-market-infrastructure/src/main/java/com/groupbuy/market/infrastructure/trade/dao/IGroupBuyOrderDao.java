package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import java.time.Instant;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements on group_buy_order (teams). */
@Mapper
public interface IGroupBuyOrderDao {

    /** A new team; the group-commit writer queues a batch's on a batch session, sent as one multi-row statement. */
    void insert(TeamPO team);

    TeamPO queryByTeamId(@Param("teamId") String teamId);

    /** One more locked place, only on an open, unexpired team below its target; returns rows changed (0 or 1). */
    int takePlace(@Param("teamId") String teamId, @Param("now") Instant now, @Param("open") int openStatus);

    /** The team row, locked until the transaction ends (null when there is none). */
    TeamPO lockByTeamId(@Param("teamId") String teamId);
}
