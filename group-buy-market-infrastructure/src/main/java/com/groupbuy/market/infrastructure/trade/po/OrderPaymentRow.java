package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;

/** One order a settlement batch pays ({@code IGroupBuySettlementDao.payOrders}, #19): its id and its trade time. */
public record OrderPaymentRow(String orderId, Instant outTradeTime) {}
