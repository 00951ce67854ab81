package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPlacesPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements of the place reconciliation on group_buy_order and group_buy_order_list. */
@Mapper
public interface ITeamPlaceDao {

    List<TeamPlacesPO> queryOpenTeams(
            @Param("now") Instant now,
            @Param("afterEnd") Instant afterEnd,
            @Param("afterId") long afterId,
            @Param("shardIndex") int shardIndex,
            @Param("shardTotal") int shardTotal,
            @Param("limit") int limit,
            @Param("open") int openStatus);

    /** The team row, locked until the transaction ends. */
    TeamPlacesPO lockTeam(@Param("teamId") String teamId);

    /** The partner's key, order id and state of every order row of the team, whatever its state. */
    List<GroupBuyOrderListPO> queryOrderKeys(@Param("teamId") String teamId);
}
