package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;
import java.util.List;

/** A team as operators watch it: its places (target, locked, paid), its window and its members. */
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
        List<Member> members) {

    /** One member order of the team. */
    public record Member(
            String userId,
            String outTradeNo,
            String orderId,
            int status,
            String source,
            String channel,
            Instant lockedAt) {}

    public TeamAdminVO withMembers(List<Member> members) {
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
                members);
    }
}
