package com.groupbuy.market.infrastructure.trade.po;

/** One lock's first read in a batch of them: the partner's order key and the activity whose live takes count. */
public record LookupKeyPO(String source, String channel, String userId, String outTradeNo, Long activityId) {}
