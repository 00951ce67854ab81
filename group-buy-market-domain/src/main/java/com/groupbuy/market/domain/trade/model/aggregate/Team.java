package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundCallback;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.SettlementCallback;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/**
 * A team (the {@code group_buy_order} row) and its rules: who may take a place, when a payment completes it, what a
 * complete team owes, what its expiry does to each member. A snapshot as read (in the transactions that decide on it,
 * read under the row's lock); the decisions are stored by the repositories' guarded updates, which refuse a stale one.
 */
@Getter
@Builder
@AllArgsConstructor
public class Team {

    private final String teamId;
    private final Long activityId;
    private final int targetCount;
    private final int lockCount;
    private final int completeCount;
    private final TeamStatus status;
    private final Instant validEndTime;
    /** The team's partner (the leader's lock): whose secret signs its callbacks and whose channel receives them. */
    private final String source;

    private final String channel;
    private final String notifyType;
    private final String notifyUrl;

    /** Open and its window not yet over at {@code now}. */
    public boolean isOpenAt(Instant now) {
        return status == TeamStatus.OPEN && now.isBefore(validEndTime);
    }

    public boolean hasPlaceLeft() {
        return lockCount < targetCount;
    }

    /** "Can take a place": open, before its end, a place left. */
    public boolean canTakePlaceAt(Instant now) {
        return isOpenAt(now) && hasPlaceLeft();
    }

    /** The status one more payment leaves the team in (read before it): complete when it fills the last place. */
    public TeamStatus statusAfterPayment() {
        return status.afterPayment(completeCount + 1, targetCount);
    }

    /**
     * "A complete team owes one callback": the completion callback with the paid members' trade numbers (read only
     * when owed), or empty while the team is not complete.
     */
    public Optional<NotifyTaskEntity> completionCallback(NotifyRoutes routes, Supplier<List<String>> paidOutTradeNos) {
        if (status != TeamStatus.COMPLETE) {
            return Optional.empty();
        }
        return Optional.of(routes.teamCompleteTask(
                teamId,
                activityId,
                source,
                channel,
                notifyType,
                notifyUrl,
                new SettlementCallback(teamId, paidOutTradeNos.get())));
    }

    /** Open past its window: its validity ended before {@code endBefore}. */
    public boolean isExpiredBefore(Instant endBefore) {
        return status == TeamStatus.OPEN && validEndTime.isBefore(endBefore);
    }

    /**
     * "Expiry fails an incomplete team and tells each member": the team → failed; its unpaid members closed (their
     * places given back) and told {@code unpaid_unlock}; its paid members kept (the mall returns their money) and told
     * {@code paid_unformed}. Empty when the team is not open past {@code endBefore} (completed, failed, not due).
     */
    public Optional<TeamExpiry> expire(Instant endBefore, List<TeamMember> liveMembers, NotifyRoutes routes) {
        if (!isExpiredBefore(endBefore)) {
            return Optional.empty();
        }
        TeamStatus failed = status.expire();
        List<String> closed = new ArrayList<>();
        List<NotifyTaskEntity> callbacks = new ArrayList<>();
        for (TeamMember member : liveMembers) {
            RefundType type = RefundType.of(member.status(), failed);
            if (type == RefundType.UNPAID_UNLOCK) {
                closed.add(member.orderId());
            }
            callbacks.addAll(refundCallbacks(member, type, routes));
        }
        return Optional.of(
                new TeamExpiry(status, failed, OrderStatus.LOCKED, OrderStatus.LOCKED.close(), closed, callbacks));
    }

    private List<NotifyTaskEntity> refundCallbacks(TeamMember member, RefundType type, NotifyRoutes routes) {
        return routes.refundTasks(
                new RefundCallback(
                        type, member.userId(), teamId, member.activityId(), member.orderId(), member.outTradeNo()),
                source,
                channel,
                notifyType);
    }
}
