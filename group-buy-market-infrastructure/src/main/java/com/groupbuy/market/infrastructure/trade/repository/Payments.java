package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.NotifySettings;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PaidMember;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.NotifySettingsPO;
import java.util.List;
import java.util.stream.Stream;

/**
 * The payment statement, shared by a settlement written alone ({@link SettlementRepository}) and one written in a
 * batch ({@link SettlementBatchWriter}): the order paid and its team's count + 1 in one guarded statement, in the shape
 * that pays the team's last place or in the one that leaves places unpaid.
 */
final class Payments {

    /** The order's row and its team's: what a settlement statement matches when it pays. */
    private static final int BOTH_ROWS = 2;

    private Payments() {}

    /** Whether the payment, in the shape that pays the last place or the other one, moved both rows (else neither). */
    static boolean pay(
            IGroupBuySettlementDao dao,
            MemberOrderView order,
            SettleCommand command,
            TeamPayment payment,
            boolean lastPlace) {
        return matched(
                lastPlace
                        ? dao.payFillingLastPlace(
                                order.getOrderId(),
                                order.getTeamId(),
                                command.getOutTradeTime(),
                                payment.orderFrom().code(),
                                payment.orderTo().code(),
                                payment.teamFrom().code(),
                                payment.teamWhenFilled().code())
                        : dao.payLeavingPlaces(
                                order.getOrderId(),
                                order.getTeamId(),
                                command.getOutTradeTime(),
                                payment.orderFrom().code(),
                                payment.orderTo().code(),
                                payment.teamFrom().code(),
                                payment.teamOtherwise().code()));
    }

    /**
     * Whether the payment's statement moved both rows. It can match only both or neither; any other count (a driver
     * reporting changed rather than matched rows, say) is refused rather than read as a payment counted or not.
     */
    /**
     * After a commit whose answer was lost ({@link UnknownCommits}): whether the payment is in the database, read on a
     * fresh connection. The order paid (its trade time set) and, when the payment completed the team, every callback
     * it wrote there by id: a callback's id is its own transaction's (auto-increment ids are never handed out twice),
     * so a team completed by another notice of the same payment meanwhile is not mistaken for this one's.
     */
    static boolean written(IGroupBuySettlementDao dao, INotifyTaskDao tasks, String orderId, OwedCallback owed) {
        MemberOrderPO order = dao.queryOrderById(orderId);
        if (order == null || order.getOutTradeTime() == null) {
            return false;
        }
        if (owed == null) {
            return true;
        }
        return UnknownCommits.tasksWritten(
                tasks,
                Stream.concat(Stream.of(owed.taskId()), owed.othersOwed().stream())
                        .toList());
    }

    private static boolean matched(int rows) {
        if (rows != 0 && rows != BOTH_ROWS) {
            throw new IllegalStateException("the settlement's update matched " + rows + " rows, expected 0 or 2");
        }
        return rows == BOTH_ROWS;
    }

    /**
     * The completion callbacks the payment owes ({@link TeamPayment#callbacksOwed}), their reads made on this
     * transaction's connection: the team's paid members (one read, only when owed) and, for a team mixed before teams
     * were kept to their partner, each other partner's notify settings.
     */
    static List<NotifyTaskEntity> callbacksOwed(
            IGroupBuySettlementDao dao, MemberOrderView order, TeamPayment payment, boolean paidLastPlace) {
        return payment.callbacksOwed(
                order,
                paidLastPlace,
                () -> dao.queryPaidMembers(order.getTeamId(), OrderStatus.PAID.code()).stream()
                        .map(m -> new PaidMember(m.getSource(), m.getChannel(), m.getOutTradeNo()))
                        .toList(),
                (source, channel) -> {
                    NotifySettingsPO settings = dao.queryPartnerNotifySettings(order.getActivityId(), source, channel);
                    return settings == null
                            ? null
                            : new NotifySettings(settings.getNotifyType(), settings.getNotifyUrl());
                });
    }
}
