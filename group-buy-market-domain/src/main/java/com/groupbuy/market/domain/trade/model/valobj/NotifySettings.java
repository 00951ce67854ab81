package com.groupbuy.market.domain.trade.model.valobj;

/**
 * The notify settings a partner's lock gave the team it opened ({@code group_buy_order.notify_type},
 * {@code notify_url}): where that partner asked to be told its team completed. A member order keeps none of its own.
 */
public record NotifySettings(String notifyType, String notifyUrl) {}
