package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;

/**
 * What became of one settlement of a batch (#19): paid ({@code owed}: the callback it wrote when it completed the team,
 * else null), or refused by the guards (neither payment shape matched: the order or team changed meanwhile; the
 * caller answers from a fresh read, as alone). A batch that could not be written has no outcomes: each caller writes
 * alone — and, when the batch waited its statement bound ({@link #ALONE_BRIEFLY}), alone with a short bound, its caller
 * having waited one bound already. A settlement that would complete a big team is left out of its batch ({@link #ALONE})
 * and written alone by its caller. A batch that lost its connection before its commit ({@link #cut}) is not written
 * alone: its callers answer E0401 at once.
 */
public record SettlementOutcome(
        OwedCallback owed, boolean refused, boolean aloneBriefly, boolean alone, Throwable cut) {

    public static final SettlementOutcome REFUSED = new SettlementOutcome(null, true, false, false, null);

    /** The batch waited for a row lock until its statement bound and was rolled back: nothing of it written. */
    public static final SettlementOutcome ALONE_BRIEFLY = new SettlementOutcome(null, false, true, false, null);

    /**
     * Left out of the batch, nothing of it written, while its neighbours were written: it would complete a big team
     * ({@link SettlementGroupCommit#writtenAlone}), whose completion its caller writes alone, on its own thread.
     */
    public static final SettlementOutcome ALONE = new SettlementOutcome(null, false, false, true, null);

    public static SettlementOutcome paid(OwedCallback owed) {
        return new SettlementOutcome(owed, false, false, false, null);
    }

    /**
     * The batch lost its connection before its commit ({@link UnknownCommits#cutBeforeCommit}: rolled back, nothing of
     * it written) after its callers waited for the cut, up to a socket timeout. Not written alone, which would wait for
     * a second cut on the database out of reach: the caller answers E0401 with Retry-After, and the mall's notice sent
     * again is written then.
     */
    public static SettlementOutcome cut(Throwable e) {
        return new SettlementOutcome(null, false, false, false, e);
    }
}
