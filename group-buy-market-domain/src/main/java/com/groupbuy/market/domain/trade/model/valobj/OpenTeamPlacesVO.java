package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;

/**
 * An open team as the reconciliation pages through them: its live lock count, when its row last changed, and where
 * it stands in the sweep's order (validity end, then row id).
 */
public record OpenTeamPlacesVO(long rowId, String teamId, int lockCount, Instant validEnd, Instant updatedAt) {

    /** The sweep's position just past this team. */
    public OpenTeamsPosition position() {
        return new OpenTeamsPosition(validEnd, rowId);
    }
}
