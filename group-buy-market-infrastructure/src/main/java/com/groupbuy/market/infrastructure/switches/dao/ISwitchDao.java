package com.groupbuy.market.infrastructure.switches.dao;

import com.groupbuy.market.infrastructure.switches.po.SwitchChangePO;
import com.groupbuy.market.infrastructure.switches.po.SwitchValuePO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** #17: dcc_switch (stored switch values) and dcc_switch_change (their audit). */
@Mapper
public interface ISwitchDao {

    List<SwitchValuePO> queryAll();

    int insertIfAbsent(@Param("name") String name, @Param("value") String value);

    String queryValueForUpdate(@Param("name") String name);

    int upsert(@Param("name") String name, @Param("value") String value, @Param("updatedAt") Instant updatedAt);

    int insertChange(SwitchChangePO change);

    List<SwitchChangePO> queryChanges(@Param("offset") int offset, @Param("limit") int limit);
}
