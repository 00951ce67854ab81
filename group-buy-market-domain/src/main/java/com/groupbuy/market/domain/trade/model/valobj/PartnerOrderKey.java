package com.groupbuy.market.domain.trade.model.valobj;

/**
 * An order as the partner that placed it names it: its source and channel, its buyer and its own out trade number.
 * Two malls may send the same user id and out trade number; those are two orders, and every trade call finds only
 * the one of its own source + channel (another partner's order is, to it, no order at all).
 */
public record PartnerOrderKey(String source, String channel, String userId, String outTradeNo) {}
