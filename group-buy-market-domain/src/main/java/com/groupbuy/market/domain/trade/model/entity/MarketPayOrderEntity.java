package com.groupbuy.market.domain.trade.model.entity;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import java.math.BigDecimal;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A member order: the place a buyer holds in a team and the price the mall charges for it. */
@Getter
@Builder
@AllArgsConstructor
public class MarketPayOrderEntity {

    private final String orderId;
    private final String teamId;
    private final Long activityId;
    private final BigDecimal originalPrice;
    private final BigDecimal deductionPrice;
    private final BigDecimal payPrice;
    /** The stored {@link OrderStatus} code, as the lock answer carries it ({@code tradeOrderStatus}). */
    private final Integer status;
    /**
     * Outbox rows of the close checks this lock just wrote, to publish after commit (#15); internal, never on the
     * wire (the controller maps the answer field by field). Null when none.
     */
    private final List<Long> closeCheckTaskIds;
    /** The same checks when they were written under the relay's lease: as the relay publishes them. Null when none. */
    private final List<NotifyTaskVO> leasedCloseChecks;

    public OrderStatus orderStatus() {
        return OrderStatus.of(status);
    }
}
