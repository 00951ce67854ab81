package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.JoinLookupPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Lang;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.SelectProvider;

/** Statements on group_buy_order (teams). */
@Mapper
public interface IGroupBuyOrderDao {

    /** A new team; the group-commit writer queues a batch's on a batch session, sent as one multi-row statement. */
    void insert(TeamPO team);

    /**
     * A join's first read: the team under {@code teamId} with the partner's order id under the key and the user's
     * live takes in the activity (not {@code closed}); null when no team has that id.
     */
    JoinLookupPO queryForJoin(
            @Param("teamId") String teamId,
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userId") String userId,
            @Param("outTradeNo") String outTradeNo,
            @Param("activityId") Long activityId,
            @Param("closed") int closedStatus);

    /**
     * The first read of several locks in one statement, joins and openings alike: one row per key, its index the key's
     * place in the list, with {@link #queryForJoin}'s columns; the team's null when the key's team id is null (an
     * opening) or no team has it.
     */
    @SelectProvider(type = LookupSql.class, method = "joins")
    @Lang(ParsedOnceLanguageDriver.class)
    @ResultMap("joinLookupBatch")
    List<JoinLookupPO> queryJoinLookups(@Param("keys") List<LookupKeyPO> keys, @Param("closed") int closedStatus);

    /** One more locked place, only on an open, unexpired team below its target; returns rows changed (0 or 1). */
    int takePlace(@Param("teamId") String teamId, @Param("now") Instant now, @Param("open") int openStatus);

    /** The team row, locked until the transaction ends (null when there is none). */
    TeamPO lockByTeamId(@Param("teamId") String teamId);
}
