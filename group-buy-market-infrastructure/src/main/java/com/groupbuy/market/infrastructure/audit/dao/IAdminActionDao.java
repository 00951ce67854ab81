package com.groupbuy.market.infrastructure.audit.dao;

import com.groupbuy.market.infrastructure.audit.po.AdminActionPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** admin_action: the audit of admin actions that change state. */
@Mapper
public interface IAdminActionDao {

    int insert(AdminActionPO action);

    int fillOutcome(
            @Param("id") long id,
            @Param("httpStatus") int httpStatus,
            @Param("code") String code,
            @Param("answeredAt") Instant answeredAt);

    int deleteBefore(@Param("before") Instant before, @Param("limit") int limit);

    List<AdminActionPO> queryPage(@Param("offset") int offset, @Param("limit") int limit);
}
