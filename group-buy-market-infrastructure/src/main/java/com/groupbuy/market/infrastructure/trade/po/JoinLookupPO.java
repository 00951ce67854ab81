package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;
import lombok.EqualsAndHashCode;

/**
 * A join's first read (#19): the team it names, with the lock lookup's two values beside the team's columns in the
 * same row (the partner order's id, null when there is none, and the user's live takes), so a join pays one
 * statement for what took two. Read in a batch of lookups ({@code queryJoinLookups}), the team's columns are null when
 * its key names no team (an opening, or an id no team has).
 */
@Data
@EqualsAndHashCode(callSuper = true)
public class JoinLookupPO extends TeamPO {
    /** Its key's place in a batch of lookups ({@code queryJoinLookups}); 0 for a read alone. */
    private int index;

    private String orderId;
    private int liveTakes;
}
