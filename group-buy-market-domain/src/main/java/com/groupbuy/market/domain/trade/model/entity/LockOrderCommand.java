package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A validated request to reserve a place: {@code teamId} null opens a new team. */
@Getter
@Builder
@AllArgsConstructor
public class LockOrderCommand {

    private final String userId;
    private final String teamId;
    private final Long activityId;
    private final String goodsId;
    private final String source;
    private final String channel;
    private final String outTradeNo;
    private final String notifyType;
    private final String notifyUrl;
    /** The mall's {@code notifyMQ}, recorded on the team as given; routing keys are ours, not the caller's. */
    private final String notifyMq;

    /** The order this call is about, as its partner names it. */
    public PartnerOrderKey orderKey() {
        return new PartnerOrderKey(source, channel, userId, outTradeNo);
    }
}
