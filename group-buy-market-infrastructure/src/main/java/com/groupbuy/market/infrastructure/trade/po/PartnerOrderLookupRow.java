package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;

/**
 * Settlement's order read for one key of a batch of them ({@code IGroupBuySettlementDao.queryOrders}, #19): the key's
 * place in the batch, the order's own key as stored (null when the partner has no such order), and the columns of
 * the read alone ({@link PartnerOrderRow}). Built by its constructor through an explicit result map, as that read is.
 */
public record PartnerOrderLookupRow(
        int index,
        String userId,
        String outTradeNo,
        String orderSource,
        String orderChannel,
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
        Integer teamTargetCount) {

    /** The order the read alone finds: null when there is none (no such order of the partner, or its team gone). */
    public PartnerOrderRow order() {
        if (orderId == null || teamId == null) {
            return null;
        }
        return new PartnerOrderRow(
                orderId,
                activityId,
                orderStatus,
                outTradeTime,
                teamId,
                teamStatus,
                teamValidStartTime,
                teamValidEndTime,
                source,
                channel,
                notifyType,
                notifyUrl,
                teamCompleteCount,
                teamTargetCount);
    }
}
