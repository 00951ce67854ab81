package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The mall tells us its buyer paid. {@code outTradeTime} arrives either as "yyyy-MM-dd HH:mm:ss" in UTC+8 or as
 * epoch milliseconds (a JSON number, read here as its decimal text); both shapes exist among partner malls.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class SettlementMarketPayOrderRequestDTO {

    private String source;
    private String channel;
    private String userId;
    private String outTradeNo;
    private String outTradeTime;
}
