package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;

/**
 * What became of one settlement of a batch (#19): paid ({@code owed}: the callback it wrote when it completed the team,
 * else null), or refused by the guards (neither payment shape matched: the order or team changed meanwhile; the
 * caller answers from a fresh read, as alone). A batch that could not be written has no outcomes: each caller writes
 * alone — and, when the batch waited its statement bound ({@link #ALONE_BRIEFLY}), alone with a short bound, its caller
 * having waited one bound already.
 */
public record SettlementOutcome(OwedCallback owed, boolean refused, boolean aloneBriefly) {

    public static final SettlementOutcome REFUSED = new SettlementOutcome(null, true, false);

    /** The batch waited for a row lock until its statement bound and was rolled back: nothing of it written. */
    public static final SettlementOutcome ALONE_BRIEFLY = new SettlementOutcome(null, false, true);

    public static SettlementOutcome paid(OwedCallback owed) {
        return new SettlementOutcome(owed, false, false);
    }
}
