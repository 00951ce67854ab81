package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaidMember;
import com.groupbuy.market.domain.trade.model.valobj.SettlementCallback;
import com.groupbuy.market.domain.trade.model.valobj.TeamCount;
import com.groupbuy.market.domain.trade.model.valobj.TeamPaymentsCounted;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;

/**
 * One payment counted on a team, as the settlement's transaction stores it: the order {@code LOCKED → PAID}; the
 * team's complete count + 1, its status {@code OPEN →} {@link #teamWhenFilled()} when that pays the last place, else
 * {@link #teamOtherwise()} — two guarded updates, one per outcome, of which at most one matches the locked row; then
 * {@link #callbacksOwed} turns "the update that paid the last place matched" into the team's callback.
 */
@Slf4j
public final class TeamPayment {

    /** The state every payment takes its order from ({@link #orderFrom()}): the same for every payment. */
    public static final OrderStatus ORDER_FROM = OrderStatus.LOCKED;
    /** The state every payment leaves its order in ({@link #orderTo()}). */
    public static final OrderStatus ORDER_TO = ORDER_FROM.pay();
    /** The state every payment counts on its team from ({@link #teamFrom()}). */
    public static final TeamStatus TEAM_FROM = TeamStatus.OPEN;

    private final NotifyRoutes routes;

    public TeamPayment(NotifyRoutes routes) {
        this.routes = routes;
    }

    public OrderStatus orderFrom() {
        return ORDER_FROM;
    }

    public OrderStatus orderTo() {
        return ORDER_TO;
    }

    public TeamStatus teamFrom() {
        return TEAM_FROM;
    }

    public TeamStatus teamWhenFilled() {
        return teamFrom().afterPayment(true);
    }

    public TeamStatus teamOtherwise() {
        return teamFrom().afterPayment(false);
    }

    /**
     * Several payments of one team counted one after the other on its row as locked (#19, a settlement batch), exactly
     * as the guarded statements alone would count them in that order: none unless the team is in {@link #teamFrom()};
     * then each while it leaves a place unpaid ({@link #teamOtherwise()}) or pays the last one ({@link
     * #teamWhenFilled()}, which completes the team); every payment after the last place is refused. The store writes
     * the result guarded by the very state counted on, so a team that moved meanwhile is not written.
     */
    public TeamPaymentsCounted count(TeamCount locked, int payments) {
        if (payments < 0) {
            throw new IllegalArgumentException("payments " + payments);
        }
        int places = locked.targetCount() - locked.completeCount();
        if (locked.status() != teamFrom() || places <= 0 || payments == 0) {
            return new TeamPaymentsCounted(0, locked, false);
        }
        int counted = Math.min(payments, places);
        int after = locked.completeCount() + counted;
        boolean filled = after == locked.targetCount();
        return new TeamPaymentsCounted(
                counted,
                new TeamCount(filled ? teamWhenFilled() : teamOtherwise(), after, locked.targetCount()),
                filled);
    }

    /**
     * The callbacks this payment owes: when {@code paidLastPlace} (the guarded update that pays the last place is the
     * one that matched, on the row locked until commit, so two last payers can neither both miss nor both see the
     * completion) the team's completion callbacks, else none. The first is always the team's own partner's, exactly as
     * for every team (its key, its target, its body listing its own paid members' trade numbers in lock order). A team
     * mixed before teams were kept to their partner ({@link Team#belongsTo}) may hold paid members of other partners:
     * each such partner is owed a callback of its own, listing only its own members, signed with its own secret, on the
     * target the lock of its own latest team in the activity gave ({@code settingsOf}; read only for such a team); a
     * partner that never opened a team there has no known target and is logged, not told. {@code paidMembers} (every
     * paid member of the team, in lock order) is read only when the callbacks are owed. The team is named as read with
     * the order: its id, activity, partner and channel never change.
     */
    public List<NotifyTaskEntity> callbacksOwed(
            MemberOrderView order,
            boolean paidLastPlace,
            Supplier<List<PaidMember>> paidMembers,
            BiFunction<String, String, NotifySettings> settingsOf) {
        if (!paidLastPlace) {
            return List.of();
        }
        String teamId = order.getTeamId();
        String source = order.getSource();
        String channel = order.getChannel();
        // Each partner's members in lock order, the team's own partner first; LinkedHashMap keeps the others in the
        // order their first member locked, so the callbacks are written in one order.
        Map<List<String>, List<String>> byPartner = new LinkedHashMap<>();
        byPartner.put(List.of(source, channel), new ArrayList<>());
        for (PaidMember member : paidMembers.get()) {
            byPartner
                    .computeIfAbsent(List.of(member.source(), member.channel()), k -> new ArrayList<>())
                    .add(member.outTradeNo());
        }
        List<NotifyTaskEntity> owed = new ArrayList<>(byPartner.size());
        byPartner.forEach((partner, outTradeNos) -> {
            SettlementCallback body = new SettlementCallback(teamId, outTradeNos);
            if (owed.isEmpty()) {
                owed.add(routes.teamCompleteTask(
                        teamId,
                        order.getActivityId(),
                        source,
                        channel,
                        order.getNotifyType(),
                        order.getNotifyUrl(),
                        body));
                return;
            }
            NotifySettings settings = settingsOf.apply(partner.get(0), partner.get(1));
            if (settings == null
                    || (!NotifyTarget.MQ.equals(settings.notifyType())
                            && (settings.notifyUrl() == null
                                    || settings.notifyUrl().isBlank()))) {
                log.warn(
                        "team {} completed with paid members of partner {}/{} (a team mixed before teams were kept to "
                                + "their partner), which never opened a team with a notify target in activity {}: none known, "
                                + "not told; its trade numbers {}",
                        teamId,
                        partner.get(0),
                        partner.get(1),
                        order.getActivityId(),
                        outTradeNos);
                return;
            }
            owed.add(routes.otherPartnerCompleteTask(
                    teamId,
                    order.getActivityId(),
                    partner.get(0),
                    partner.get(1),
                    settings.notifyType(),
                    settings.notifyUrl(),
                    body));
        });
        return owed;
    }
}
