package com.groupbuy.market.domain.trade.model.valobj;

/**
 * A refund event as published on {@code topic.team_refund} (the body of a refund notify task): which order left
 * which team, and how ({@link RefundType#getType()}).
 */
public record RefundMessageVO(
        String type, String userId, String teamId, Long activityId, String orderId, String outTradeNo) {}
