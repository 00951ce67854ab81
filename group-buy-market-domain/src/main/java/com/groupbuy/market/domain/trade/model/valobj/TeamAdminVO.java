package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;
import java.util.List;

/**
 * A team as operators watch it: its places (target, locked, paid), its window, how many member orders it has and the
 * first {@link #MEMBERS_SHOWN} of them (a team may have up to 10,000; the rest are paged one team at a time).
 */
public record TeamAdminVO(
        String teamId,
        long activityId,
        int targetCount,
        int lockCount,
        int completeCount,
        int status,
        Instant validStartTime,
        Instant validEndTime,
        String notifyType,
        long memberCount,
        List<Member> members) {

    /**
     * Member orders a team carries in the teams page, oldest first: a page of 50 teams of 10,000 members was 500,000
     * members in one answer. The rest: {@code ITeamAdminRepository.members}.
     */
    public static final int MEMBERS_SHOWN = 20;

    /** One member order of the team. */
    public record Member(
            String userId,
            String outTradeNo,
            String orderId,
            int status,
            String source,
            String channel,
            Instant lockedAt) {}

    public TeamAdminVO withMembers(long memberCount, List<Member> members) {
        return new TeamAdminVO(
                teamId,
                activityId,
                targetCount,
                lockCount,
                completeCount,
                status,
                validStartTime,
                validEndTime,
                notifyType,
                memberCount,
                members);
    }
}
