package com.groupbuy.market.infrastructure.tag.dao;

import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** crowd_user_index: the bit position of each tagged partner user (uq_partner_user: source, channel, user id). */
@Mapper
public interface ICrowdUserIndexDao {

    /** The positions of these users of one partner. */
    List<CrowdUserIndexPO> queryByUserIds(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userIds") Collection<String> userIds);

    Long queryByUser(@Param("source") String source, @Param("channel") String channel, @Param("userId") String userId);

    /**
     * Gives a position to each of these users of one partner that has none; one another run inserted meanwhile is
     * skipped, and any other error (a user id too long for its column) fails the statement whole.
     */
    int insertUnlessTaken(
            @Param("source") String source,
            @Param("channel") String channel,
            @Param("userIds") Collection<String> userIds);
}
