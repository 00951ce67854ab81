package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;

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
}
