package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;
import lombok.EqualsAndHashCode;

/**
 * A join's first read (#19): the team it names, with the lock lookup's two values beside the team's columns in the
 * same row (the partner order's id, null when there is none, and the user's live takes), so a join pays one
 * statement for what took two.
 */
@Data
@EqualsAndHashCode(callSuper = true)
public class JoinLookupPO extends TeamPO {
    private String orderId;
    private int liveTakes;
}
