package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import java.time.Instant;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A validated payment notice from a mall: its buyer paid for the order locked under {@code outTradeNo}. */
@Getter
@Builder
@AllArgsConstructor
public class SettleCommand {

    private final String source;
    private final String channel;
    private final String userId;
    private final String outTradeNo;
    private final Instant outTradeTime;

    /** The order this call is about, as its partner names it. */
    public PartnerOrderKey orderKey() {
        return new PartnerOrderKey(source, channel, userId, outTradeNo);
    }
}
