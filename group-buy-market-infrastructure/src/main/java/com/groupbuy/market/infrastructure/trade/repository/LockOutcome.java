package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;

/**
 * What became of one lock of a batch: written (its order), refused by a guard that wrote nothing (the team full in the
 * database: {@code E0005}; failed or ended since it was read: {@code E0206}), or neither ({@link #ALONE}) when the
 * batch could not be written: the caller then writes the lock alone — with a short bound ({@link #ALONE_BRIEFLY}) when
 * the batch waited its statement bound, its caller having waited one bound already — unless the batch lost its
 * connection before its commit ({@link #cut}: the caller answers E0401 at once) or its commit's outcome is unknown
 * ({@link #unknown}).
 */
public record LockOutcome(
        MarketPayOrderEntity order,
        ResponseCode refusal,
        boolean aloneBriefly,
        CommitOutcomeUnknownException unknown,
        Throwable cut) {

    public static final LockOutcome ALONE = new LockOutcome(null, null, false, null, null);

    /** The batch waited for a row lock until its statement bound and was rolled back: nothing of it written. */
    public static final LockOutcome ALONE_BRIEFLY = new LockOutcome(null, null, true, null, null);

    public static LockOutcome written(MarketPayOrderEntity order) {
        return new LockOutcome(order, null, false, null, null);
    }

    public static LockOutcome refused(ResponseCode refusal) {
        return new LockOutcome(null, refusal, false, null, null);
    }

    /**
     * The batch lost its connection before its commit ({@link UnknownCommits#cutBeforeCommit}: rolled back, nothing of
     * it written) after its callers waited for the cut, up to a socket timeout. Not written alone, which would wait for
     * a second cut on the database out of reach: the caller answers E0401 with Retry-After and gives its place back,
     * as a lock written alone and cut is answered.
     */
    public static LockOutcome cut(Throwable e) {
        return new LockOutcome(null, null, false, null, e);
    }

    /**
     * The batch's commit failed unanswered and its read back failed too: it may have committed. Not written alone
     * (where a write that found the database still gone would give the place back, committed or not): the caller
     * answers E0401 holding its place, and the partner's retry finds the order or writes it under that place.
     */
    public static LockOutcome unknown(CommitOutcomeUnknownException e) {
        return new LockOutcome(null, null, false, e, null);
    }
}
