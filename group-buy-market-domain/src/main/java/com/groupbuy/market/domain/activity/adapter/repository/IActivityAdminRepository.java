package com.groupbuy.market.domain.activity.adapter.repository;

import com.groupbuy.market.domain.activity.model.valobj.ActivityAdminVO;
import java.util.List;

/** Activities for the operators' console, newest first. */
public interface IActivityAdminRepository {

    List<ActivityAdminVO> page(int offset, int limit);

    long count();
}
