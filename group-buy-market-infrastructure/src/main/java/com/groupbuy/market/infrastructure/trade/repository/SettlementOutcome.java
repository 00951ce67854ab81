package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;

/**
 * What became of one settlement of a batch (#19): paid ({@code owed}: the callback it wrote when it completed the team,
 * else null), or refused by the guards (neither payment shape matched: the order or team changed meanwhile; the
 * caller answers from a fresh read, as alone). A batch that could not be written has no outcomes: each caller writes
 * alone.
 */
public record SettlementOutcome(OwedCallback owed, boolean refused) {

    public static final SettlementOutcome REFUSED = new SettlementOutcome(null, true);

    public static SettlementOutcome paid(OwedCallback owed) {
        return new SettlementOutcome(owed, false);
    }
}
