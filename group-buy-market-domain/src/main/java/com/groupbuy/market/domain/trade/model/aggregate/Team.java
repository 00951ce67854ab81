package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.RefundCallback;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.SettlementCallback;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.types.enums.ResponseCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
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

    /**
     * "A team belongs to the partner that opened it": only that partner (its source and channel, compared exactly, as
     * the database compares them: case and trailing spaces count) may join it or see it. The team has one notify
     * target, its leader's: a member of another partner (in a team mixed before this rule) is told of its expiry through
     * its own order's partner, and of its completion on the target of that partner's own latest team
     * ({@link TeamPayment#callbacksOwed}).
     */
    public boolean belongsTo(String source, String channel) {
        return Objects.equals(this.source, source) && Objects.equals(this.channel, channel);
    }

    /** Open and its window not yet over at {@code now}. */
    public boolean isOpenAt(Instant now) {
        return status == TeamStatus.OPEN && now.isBefore(validEndTime);
    }

    public boolean hasPlaceLeft() {
        return lockCount < targetCount;
    }

    /**
     * The answer to a join whose guarded place taking matched nothing at {@code now}, from the team as it is after
     * that write: {@code E0206} when it still had a place but was no longer open or past its window (its expiry came
     * between the join's read and its write: refused as for a team not open, not as full), otherwise {@code E0005}, it
     * filled meanwhile.
     */
    public ResponseCode guardedJoinRefusalAt(Instant now) {
        return hasPlaceLeft() && !isOpenAt(now) ? ResponseCode.E0206 : ResponseCode.E0005;
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
     * "A complete team owes one callback": the completion callback with the trade numbers of the paid members of the
     * team's own partner (read only when owed; {@code paidOutTradeNosOf} answers them for a source and channel), or
     * empty while the team is not complete. A member another partner slipped in before teams were kept to their partner
     * is not listed: its number is not this partner's to see.
     */
    public Optional<NotifyTaskEntity> completionCallback(
            NotifyRoutes routes, BiFunction<String, String, List<String>> paidOutTradeNosOf) {
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
                new SettlementCallback(teamId, paidOutTradeNosOf.apply(source, channel))));
    }

    /** Open past its window: its validity ended before {@code endBefore}. */
    public boolean isExpiredBefore(Instant endBefore) {
        return status == TeamStatus.OPEN && validEndTime.isBefore(endBefore);
    }

    /**
     * "Expiry fails an incomplete team and tells each member": the team → failed; its unpaid members closed (their
     * places given back) and told {@code unpaid_unlock}; its paid members kept (the mall returns their money) and told
     * {@code paid_unformed}. Empty when the team is not open past {@code endBefore} (completed, failed, not due). Each
     * member is told through its own order's partner (see {@link #refundCallbacks}).
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

    /**
     * A member's refund goes to the partner of the member's own order (its refund URL, signed with its secret): the
     * team's partner in every team written since teams are kept to their partner, but a team written before may hold
     * another partner's member, whose buyer only that partner can refund. The notify type is the team's: a member order
     * stores no notify settings of its own (the original platform keeps one notify target per team).
     */
    private List<NotifyTaskEntity> refundCallbacks(TeamMember member, RefundType type, NotifyRoutes routes) {
        return routes.refundTasks(
                new RefundCallback(
                        type, member.userId(), teamId, member.activityId(), member.orderId(), member.outTradeNo()),
                member.source(),
                member.channel(),
                notifyType);
    }
}
