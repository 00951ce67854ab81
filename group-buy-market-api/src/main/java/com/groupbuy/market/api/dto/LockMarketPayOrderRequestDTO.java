package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A mall reserves a place in a team for its buyer. {@code teamId} null or empty opens a new team. Older malls send
 * a flat {@code notifyUrl} instead of {@code notifyConfigVO}; both shapes are part of the contract.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class LockMarketPayOrderRequestDTO {

    private String userId;
    private String teamId;
    private Long activityId;
    private String goodsId;
    private String source;
    private String channel;
    private String outTradeNo;
    private NotifyConfigVO notifyConfigVO;
    private String notifyUrl;
}
