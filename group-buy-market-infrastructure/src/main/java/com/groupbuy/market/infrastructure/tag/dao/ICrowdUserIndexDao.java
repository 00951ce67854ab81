package com.groupbuy.market.infrastructure.tag.dao;

import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** crowd_user_index: the bit position of each tagged user. */
@Mapper
public interface ICrowdUserIndexDao {

    List<CrowdUserIndexPO> queryByUserIds(@Param("userIds") Collection<String> userIds);

    Long queryByUserId(@Param("userId") String userId);

    /** Gives a position to each user that has none; a user another run inserted meanwhile is skipped. */
    int insertIgnore(@Param("userIds") Collection<String> userIds);
}
