package com.groupbuy.market.infrastructure.dao;

import com.groupbuy.market.infrastructure.dao.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.dao.po.MemberOrderPO;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.List;

/** The reverse-flow statements; every update is guarded by the state it leaves and answers 0 rows otherwise. */
@Mapper
public interface IGroupBuyRefundDao {

    /** The order → closed from {@code fromStatus}, its take freed for a later lock. */
    int closeOrder(@Param("orderId") String orderId, @Param("fromStatus") int fromStatus);

    /** {@code count} locked places given back (unpaid locks closed). */
    int releaseUnpaidPlaces(@Param("teamId") String teamId, @Param("count") int count);

    /** A paid place given back in a team that has not formed, only while the team is still in {@code teamStatus}. */
    int releasePaidPlace(@Param("teamId") String teamId, @Param("teamStatus") int teamStatus);

    /** A paid place given back in a formed team: complete with a refund, or failed when no payer is left. */
    int releaseFormedPlace(@Param("teamId") String teamId);

    List<MemberOrderPO> queryUnpaidLockedBefore(@Param("lockedBefore") Instant lockedBefore,
                                                @Param("shardIndex") int shardIndex,
                                                @Param("shardTotal") int shardTotal, @Param("limit") int limit);

    List<String> queryOpenTeamsEndedBefore(@Param("endBefore") Instant endBefore, @Param("shardIndex") int shardIndex,
                                           @Param("shardTotal") int shardTotal, @Param("limit") int limit);

    /** The team's locked and paid members, row-locked until commit (member rows before the team row, as settlement). */
    List<GroupBuyOrderListPO> lockLiveMembers(@Param("teamId") String teamId);

    /** Open → failed, only once its validity ended before {@code endBefore}. */
    int failTeam(@Param("teamId") String teamId, @Param("endBefore") Instant endBefore);
}
