package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A partner's product page asks what a user would pay for a goods in a group buy. */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class GoodsMarketRequestDTO {

    private String userId;
    private String source;
    private String channel;
    private String goodsId;
}
