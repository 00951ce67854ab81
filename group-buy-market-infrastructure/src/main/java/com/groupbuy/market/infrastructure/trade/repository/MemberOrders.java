package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;
import java.time.Instant;

/**
 * The one mapping of a member-order row (joined with its team) to the domain's view, for every repository: every
 * read's row goes through {@link #toView(PartnerOrderRow, String, String, Instant, Long, String, String)}, the only place that knows which
 * stored value becomes which part of the view.
 */
final class MemberOrders {

    private MemberOrders() {}

    /**
     * The partner's order as read by its key (settlement and refund): the user id and out trade number are the key's,
     * which the read compared exactly with the row's; lock time not read (no timeout is decided on it). The row goes
     * in as MyBatis built it: nothing allocated but the view and its builder (#19: the settlement read is lean on
     * purpose).
     */
    static MemberOrderView toView(PartnerOrderRow row, PartnerOrderKey key) {
        // The order was found by its partner's key: the key's source and channel are the order's own.
        return row == null
                ? null
                : toView(row, key.userId(), key.outTradeNo(), null, null, key.source(), key.channel());
    }

    /**
     * An order read with its user, number and lock time (by order id, or the timeout job's page, which reads its row
     * id too).
     */
    static MemberOrderView toView(MemberOrderPO po) {
        return po == null
                ? null
                : toView(
                        new PartnerOrderRow(
                                po.getOrderId(),
                                po.getActivityId(),
                                po.getOrderStatus(),
                                po.getOutTradeTime(),
                                po.getTeamId(),
                                po.getTeamStatus(),
                                po.getTeamValidStartTime(),
                                po.getTeamValidEndTime(),
                                po.getSource(),
                                po.getChannel(),
                                po.getNotifyType(),
                                po.getNotifyUrl(),
                                po.getTeamCompleteCount(),
                                po.getTeamTargetCount()),
                        po.getUserId(),
                        po.getOutTradeNo(),
                        po.getLockTime(),
                        po.getRowId(),
                        po.getMemberSource(),
                        po.getMemberChannel());
    }

    /** The stored order with the values a read may take from elsewhere than the row (null when not read). */
    private static MemberOrderView toView(
            PartnerOrderRow row,
            String userId,
            String outTradeNo,
            Instant lockTime,
            Long rowId,
            String orderSource,
            String orderChannel) {
        return MemberOrderView.builder()
                .orderId(row.orderId())
                .userId(userId)
                .outTradeNo(outTradeNo)
                .activityId(row.activityId())
                .orderStatus(OrderStatus.of(row.orderStatus()))
                .teamId(row.teamId())
                .teamStatus(TeamStatus.of(row.teamStatus()))
                .teamValidStartTime(row.teamValidStartTime())
                .teamValidEndTime(row.teamValidEndTime())
                .source(row.source())
                .channel(row.channel())
                .orderSource(orderSource)
                .orderChannel(orderChannel)
                .notifyType(row.notifyType())
                .notifyUrl(row.notifyUrl())
                .outTradeTime(row.outTradeTime())
                .lockTime(lockTime)
                .rowId(rowId)
                .teamCompleteCount(row.teamCompleteCount())
                .teamTargetCount(row.teamTargetCount())
                .build();
    }
}
