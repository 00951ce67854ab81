package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;
import lombok.EqualsAndHashCode;

/** The lock's first read: a partner order's columns (all null when there is none) and the user's live takes. */
@Data
@EqualsAndHashCode(callSuper = true)
public class OrderLookupPO extends GroupBuyOrderListPO {
    private int liveTakes;
}
