package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/** An order row as a settlement batch locked it ({@code IGroupBuySettlementDao.lockOrders}, #19): its id and state. */
@Data
public class LockedOrderPO {
    private String orderId;
    private Integer status;
}
