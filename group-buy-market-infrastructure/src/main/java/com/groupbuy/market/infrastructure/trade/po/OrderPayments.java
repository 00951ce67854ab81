package com.groupbuy.market.infrastructure.trade.po;

import java.util.List;

/**
 * A settlement batch's orders to pay ({@code IGroupBuySettlementDao.payOrders}, #19) with the states the statement
 * moves them between: the statement's one parameter, bound by position ({@code PaymentSql.OrdersBinding}).
 */
public record OrderPayments(List<OrderPaymentRow> rows, int from, int to) {}
