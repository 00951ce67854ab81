package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.TeamAdminVO;
import java.util.List;

/** Teams of an activity for the operators' console (soonest to close first), with their members. */
public interface ITeamAdminRepository {

    List<TeamAdminVO> page(long activityId, Integer status, int offset, int limit);

    long count(long activityId, Integer status);
}
