package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A buyer leaves the team: the effect depends on whether the order was paid and whether the team formed. */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class RefundMarketPayOrderRequestDTO {

    private String userId;
    private String outTradeNo;
    private String source;
    private String channel;
}
