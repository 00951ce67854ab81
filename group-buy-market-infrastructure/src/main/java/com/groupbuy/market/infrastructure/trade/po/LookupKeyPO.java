package com.groupbuy.market.infrastructure.trade.po;

/**
 * One lock's first read in a batch of them: the partner's order key, the activity whose live takes count, and for a
 * join the team id it names (null for an opening).
 */
public record LookupKeyPO(
        String source, String channel, String userId, String outTradeNo, Long activityId, String teamId) {

    /** An opening's key (no team). */
    public LookupKeyPO(String source, String channel, String userId, String outTradeNo, Long activityId) {
        this(source, channel, userId, outTradeNo, activityId, null);
    }
}
