package com.groupbuy.market.infrastructure.trade.po;

import java.math.BigDecimal;
import java.time.Instant;
import lombok.Data;

/** A row of group_buy_order_list (a member order). */
@Data
public class GroupBuyOrderListPO {
    /** The row id; read only where a row is changed by it (the team expiry), never written by the lock. */
    private Long id;

    private String userId;
    private String teamId;
    private String orderId;
    private Long activityId;
    private Instant startTime;
    private Instant endTime;
    private String goodsId;
    private String source;
    private String channel;
    private BigDecimal originalPrice;
    private BigDecimal deductionPrice;
    private BigDecimal payPrice;
    private Integer status;
    private String outTradeNo;
    private String bizId;
    /**
     * The lock's own instant (the instance's clock, as its team's start and its close check), written as the row's
     * {@code create_time}: the unpaid timeout is measured from it.
     */
    private Instant createTime;
}
