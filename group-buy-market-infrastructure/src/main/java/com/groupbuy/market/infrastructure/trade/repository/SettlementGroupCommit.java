package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Group commit of settlements (#19, {@code gbm.settlement.group-commit.*}): concurrent settlements, of any teams,
 * written by one writer thread ({@code settlement-group-commit}, meters {@code gbm.settlement.group.commit.*}) in one
 * transaction per batch ({@link SettlementBatchWriter}). The lock's machinery ({@link GroupCommit}), with the
 * settlement's writer; a settlement that finds no other to share a batch with is written alone by its caller, as with
 * group commit off: alone, a payment that leaves places unpaid is one auto-committed statement, where a batch of one
 * would add its transaction's control statements and the order lock. A batch whose statement waited for a row lock
 * until the statement bound ({@code max_statement_time}) has made each of its callers wait that bound already: each is
 * written alone with a short bound ({@link SettlementOutcome#ALONE_BRIEFLY}), not up to a second whole one on the
 * same lock.
 */
public class SettlementGroupCommit extends GroupCommit<SettlementWrite, SettlementOutcome> {

    public SettlementGroupCommit(SettlementBatchWriter writer, int maxBatch, Duration maxWait, MeterRegistry meters) {
        super("settlement", "settlements", writer::write, true, maxBatch, maxWait, meters);
    }

    @Override
    protected SettlementOutcome failed(Throwable e) {
        return DeadlockVictims.waitedItsBound(e) ? SettlementOutcome.ALONE_BRIEFLY : null;
    }
}
