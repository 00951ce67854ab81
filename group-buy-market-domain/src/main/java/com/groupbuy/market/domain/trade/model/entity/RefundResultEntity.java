package com.groupbuy.market.domain.trade.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/**
 * The answer a refund owes the mall: which order, and {@code code} {@value #SUCCESS} (done now), {@value #REPEAT}
 * (done before, nothing changed) or {@value #FAIL} (not done; the mall may retry).
 */
@Getter
@Builder
@AllArgsConstructor
public class RefundResultEntity {

    public static final String SUCCESS = "success";
    public static final String REPEAT = "repeat";
    public static final String FAIL = "fail";

    private final String userId;
    private final String orderId;
    private final String teamId;
    private final String code;
    private final String info;
}
