package com.groupbuy.market.domain.activity.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** What a caller asks the price of: a user looking at a goods through a source and channel; activityId optional. */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class MarketProductEntity {

    private String userId;
    private String source;
    private String channel;
    private String goodsId;
    /** When null the activity is resolved from source + channel + goods. */
    private Long activityId;
}
