package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;

/**
 * What became of one lock of a batch: written (its order), refused by a guard that wrote nothing (the team full in
 * the database: {@code E0005}), or neither ({@link #ALONE}) when the batch could not be written: the caller then
 * writes the lock alone — with a short bound ({@link #ALONE_BRIEFLY}) when the batch waited its statement bound, its
 * caller having waited one bound already.
 */
public record LockOutcome(
        MarketPayOrderEntity order, ResponseCode refusal, boolean aloneBriefly, CommitOutcomeUnknownException unknown) {

    public static final LockOutcome ALONE = new LockOutcome(null, null, false, null);

    /** The batch waited for a row lock until its statement bound and was rolled back: nothing of it written. */
    public static final LockOutcome ALONE_BRIEFLY = new LockOutcome(null, null, true, null);

    public static LockOutcome written(MarketPayOrderEntity order) {
        return new LockOutcome(order, null, false, null);
    }

    public static LockOutcome refused(ResponseCode refusal) {
        return new LockOutcome(null, refusal, false, null);
    }

    /**
     * The batch's commit failed unanswered and its read back failed too: it may have committed. Not written alone
     * (where a write that found the database still gone would give the place back, committed or not): the caller
     * answers E0401 holding its place, and the partner's retry finds the order or writes it under that place.
     */
    public static LockOutcome unknown(CommitOutcomeUnknownException e) {
        return new LockOutcome(null, null, false, e);
    }
}
