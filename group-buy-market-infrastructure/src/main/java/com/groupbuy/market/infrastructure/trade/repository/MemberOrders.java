package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderRow;

/** The one mapping of a member-order row (joined with its team) to the domain's view, for every repository. */
final class MemberOrders {

    private MemberOrders() {}

    static MemberOrderView toView(MemberOrderPO po) {
        return po == null
                ? null
                : MemberOrderView.builder()
                        .orderId(po.getOrderId())
                        .userId(po.getUserId())
                        .outTradeNo(po.getOutTradeNo())
                        .activityId(po.getActivityId())
                        .orderStatus(OrderStatus.of(po.getOrderStatus()))
                        .teamId(po.getTeamId())
                        .teamStatus(TeamStatus.of(po.getTeamStatus()))
                        .teamValidStartTime(po.getTeamValidStartTime())
                        .teamValidEndTime(po.getTeamValidEndTime())
                        .source(po.getSource())
                        .channel(po.getChannel())
                        .notifyType(po.getNotifyType())
                        .notifyUrl(po.getNotifyUrl())
                        .outTradeTime(po.getOutTradeTime())
                        .lockTime(po.getLockTime())
                        .teamCompleteCount(po.getTeamCompleteCount())
                        .teamTargetCount(po.getTeamTargetCount())
                        .build();
    }

    /**
     * The partner's order as read by its key: the user id and out trade number are the key's, which the read compared
     * exactly with the row's (lock time not read: no timeout is decided on it).
     */
    static MemberOrderView toView(PartnerOrderRow row, PartnerOrderKey key) {
        return row == null
                ? null
                : MemberOrderView.builder()
                        .orderId(row.orderId())
                        .userId(key.userId())
                        .outTradeNo(key.outTradeNo())
                        .activityId(row.activityId())
                        .orderStatus(OrderStatus.of(row.orderStatus()))
                        .teamId(row.teamId())
                        .teamStatus(TeamStatus.of(row.teamStatus()))
                        .teamValidStartTime(row.teamValidStartTime())
                        .teamValidEndTime(row.teamValidEndTime())
                        .source(row.source())
                        .channel(row.channel())
                        .notifyType(row.notifyType())
                        .notifyUrl(row.notifyUrl())
                        .outTradeTime(row.outTradeTime())
                        .teamCompleteCount(row.teamCompleteCount())
                        .teamTargetCount(row.teamTargetCount())
                        .build();
    }
}
