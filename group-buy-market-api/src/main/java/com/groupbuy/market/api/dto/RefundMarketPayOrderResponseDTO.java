package com.groupbuy.market.api.dto;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** {@code code} is "success", "repeat" or "fail"; {@code info} says why in words. */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class RefundMarketPayOrderResponseDTO {

    private String userId;
    private String orderId;
    private String teamId;
    private String code;
    private String info;
}
