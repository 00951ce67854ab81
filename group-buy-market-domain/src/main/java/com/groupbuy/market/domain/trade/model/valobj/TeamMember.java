package com.groupbuy.market.domain.trade.model.valobj;

/**
 * A member order of a team as the team's own decisions need it (expiry): who, which order, in which state, and the
 * partner (source + channel) of the order itself, which is the one its refund is owed to.
 */
public record TeamMember(
        String orderId,
        String userId,
        String outTradeNo,
        Long activityId,
        OrderStatus status,
        String source,
        String channel) {}
