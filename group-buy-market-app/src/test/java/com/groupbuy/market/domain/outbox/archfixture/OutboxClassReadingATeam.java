package com.groupbuy.market.domain.outbox.archfixture;

import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;

/** Breaks "the outbox knows no other context": it reads a trade type. */
public class OutboxClassReadingATeam {

    public boolean complete(TeamStatus status) {
        return status == TeamStatus.COMPLETE;
    }
}
