package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;

/**
 * A partner's member order joined with its team, as settlement and refund read it by the partner's key
 * (IGroupBuySettlementDao.queryOrder). Built through its constructor by an explicit result map (#19: automapping this
 * row looked up each column's property, setter and type handler on every call, a fifth of the read's CPU). The user
 * id and out trade number are not columns of it: the read compares them exactly (nopad_bin) with the key's, so they
 * are the key's own. The repositories' one mapping to the domain (MemberOrders) takes every order read in this shape.
 */
public record PartnerOrderRow(
        String orderId,
        Long activityId,
        Integer orderStatus,
        Instant outTradeTime,
        String teamId,
        Integer teamStatus,
        Instant teamValidStartTime,
        Instant teamValidEndTime,
        String source,
        String channel,
        String notifyType,
        String notifyUrl,
        Integer teamCompleteCount,
        Integer teamTargetCount) {}
