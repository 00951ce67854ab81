package com.groupbuy.market.infrastructure.trade.dao;

import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** The reverse-flow statements; every update is guarded by the state it leaves and answers 0 rows otherwise. */
@Mapper
public interface IGroupBuyRefundDao {

    /** The order {@code from} → {@code to} (closed), its take freed for a later lock. */
    int closeOrder(@Param("orderId") String orderId, @Param("from") int from, @Param("to") int to);

    /**
     * As {@link #closeOrder}, for member rows the caller already holds locked, named by their row ids: the team expiry,
     * which locked its members through the team's index (see the mapper). Returns the rows closed: fewer than
     * {@code ids} when a row was not in {@code from} (the caller's decision was stale; it rolls back).
     */
    int closeLockedMembers(@Param("ids") List<Long> ids, @Param("from") int from, @Param("to") int to);

    /** {@code count} locked places given back (unpaid locks closed). */
    int releaseUnpaidPlaces(@Param("teamId") String teamId, @Param("count") int count);

    /**
     * A paid place given back, only while the team is in one of {@code from}: its status becomes {@code whenNoPaidLeft}
     * when no paid member is left, else {@code otherwise}.
     */
    int releasePaidPlace(
            @Param("teamId") String teamId,
            @Param("from") List<Integer> from,
            @Param("whenNoPaidLeft") int whenNoPaidLeft,
            @Param("otherwise") int otherwise);

    /** A page of unpaid locks in lock order (create_time, id), after the given position when there is one. */
    List<MemberOrderPO> queryUnpaidLockedBefore(
            @Param("lockedBefore") Instant lockedBefore,
            @Param("afterTime") Instant afterTime,
            @Param("afterId") Long afterId,
            @Param("shardIndex") int shardIndex,
            @Param("shardTotal") int shardTotal,
            @Param("limit") int limit,
            @Param("locked") int lockedStatus,
            @Param("open") int openStatus);

    /** A page of open teams in validity-end order (valid_end_time, id), after the given team when there is one. */
    List<String> queryOpenTeamsEndedBefore(
            @Param("endBefore") Instant endBefore,
            @Param("afterTeamId") String afterTeamId,
            @Param("shardIndex") int shardIndex,
            @Param("shardTotal") int shardTotal,
            @Param("limit") int limit,
            @Param("open") int openStatus);

    /** The team's locked and paid members, row-locked until commit (member rows before the team row, as settlement). */
    List<GroupBuyOrderListPO> lockLiveMembers(
            @Param("teamId") String teamId, @Param("live") List<Integer> liveStatuses);

    /** {@code from} → {@code to} (open → failed), only once its validity ended before {@code endBefore}. */
    int failTeam(
            @Param("teamId") String teamId,
            @Param("endBefore") Instant endBefore,
            @Param("from") int from,
            @Param("to") int to);

    /** The team's status now; null when there is no such team. */
    Integer queryTeamStatus(@Param("teamId") String teamId);
}
