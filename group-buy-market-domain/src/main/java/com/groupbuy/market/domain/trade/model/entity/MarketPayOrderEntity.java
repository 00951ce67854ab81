package com.groupbuy.market.domain.trade.model.entity;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

import java.math.BigDecimal;
import java.util.List;

/** A member order: the place a buyer holds in a team and the price the mall charges for it. */
@Getter
@Builder
@AllArgsConstructor
public class MarketPayOrderEntity {

    public static final int LOCKED = 0;
    public static final int PAID = 1;
    public static final int CLOSED = 2;

    private final String orderId;
    private final String teamId;
    private final Long activityId;
    private final BigDecimal originalPrice;
    private final BigDecimal deductionPrice;
    private final BigDecimal payPrice;
    private final Integer status;
    /**
     * Outbox rows of the close checks this lock just wrote, to publish after commit (#15); internal, never on the
     * wire (the controller maps the answer field by field). Null when none.
     */
    private final List<Long> closeCheckTaskIds;
}
