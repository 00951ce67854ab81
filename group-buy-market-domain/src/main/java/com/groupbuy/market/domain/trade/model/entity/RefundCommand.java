package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A mall asks to take its buyer out of a team: the order is named by the user and the mall's out trade number. */
@Getter
@Builder
@AllArgsConstructor
public class RefundCommand {

    private final String userId;
    private final String outTradeNo;
    private final String source;
    private final String channel;

    /** The order this call is about, as its partner names it. */
    public PartnerOrderKey orderKey() {
        return new PartnerOrderKey(source, channel, userId, outTradeNo);
    }
}
