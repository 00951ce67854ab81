package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;

/**
 * The lock's first read: the partner order's id (null when there is none) and the user's live takes. Only the id:
 * MyBatis maps every column of the row on every lock, and the order's other columns matter only to a repeated lock.
 */
@Data
public class OrderLookupPO {
    /** Its key's place in a batch of lookups ({@code queryLookups}); 0 for a lookup alone. */
    private int index;

    private String orderId;
    private int liveTakes;
}
