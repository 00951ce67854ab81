package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;

/**
 * Where a sweep through open teams stands: past every team whose (validity end, row id) is at or before this pair.
 * That is the order of the index the teams are read by (status, validity end; the row id is the index's tail), so a
 * page starts where the last one stopped instead of re-reading what came before it.
 */
public record OpenTeamsPosition(Instant validEnd, long rowId) {

    /** Before every team. */
    public static final OpenTeamsPosition START = new OpenTeamsPosition(Instant.EPOCH, 0);
}
