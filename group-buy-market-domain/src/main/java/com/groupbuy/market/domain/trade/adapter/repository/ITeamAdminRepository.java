package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.TeamAdminVO;
import java.util.List;

/** Teams of an activity for the operators' console (soonest to close first), with their members. */
public interface ITeamAdminRepository {

    /** A page of teams, each with its member count and its first {@link TeamAdminVO#MEMBERS_SHOWN} members. */
    List<TeamAdminVO> page(long activityId, Integer status, int offset, int limit);

    long count(long activityId, Integer status);

    /** A page of one team's member orders, oldest first (as the teams page shows its first ones). */
    List<TeamAdminVO.Member> members(String teamId, int offset, int limit);

    long countMembers(String teamId);

    /** Whether {@code activityId} names an activity, or a team of one: its empty listing is "none", not "no such". */
    boolean activityNamed(long activityId);

    /** Whether {@code teamId} names a team, or a member order of one. */
    boolean teamNamed(String teamId);
}
