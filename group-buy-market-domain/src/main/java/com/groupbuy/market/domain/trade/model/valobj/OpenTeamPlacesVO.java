package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;

/** An open team as the reconciliation pages through them: its live lock count and when its row last changed. */
public record OpenTeamPlacesVO(long rowId, String teamId, int lockCount, Instant updatedAt) {}
