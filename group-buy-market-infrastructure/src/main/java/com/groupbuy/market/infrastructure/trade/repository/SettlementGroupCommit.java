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
 * same lock. A batch that lost its connection before its commit (the socket timeout, the database gone) has made its
 * callers, and the settlements queued behind it, wait for that cut: each is answered E0401 at once ({@link
 * SettlementOutcome#cut}), not written alone to wait for a second cut.
 *
 * <p>The completion of a big team ({@link #writtenAlone}) is never written by the writer thread: it reads every paid
 * member and writes a callback listing each (a team of 10,000: about 1 MB, 0.5-2.5 s holding the team's row), and
 * every settlement of the instance, of any team, queued behind it. A settlement that looks like such a team's last is
 * not submitted ({@link SettlementRepository}); one the batch finds completing such a team on the rows as locked is
 * left out of it, nothing of it written ({@link SettlementOutcome#ALONE}); either is written alone by its caller, on
 * its own thread, its payment and callback in one transaction as always. One commit more per completion of a team of
 * {@value #ALONE_FROM_MEMBERS} or more: at most one a {@value #ALONE_FROM_MEMBERS} settlements.
 */
public class SettlementGroupCommit extends GroupCommit<SettlementWrite, SettlementOutcome> {

    /** The size of a team whose completion is written alone, never in a batch. */
    public static final int ALONE_FROM_MEMBERS = 100;

    public SettlementGroupCommit(SettlementBatchWriter writer, int maxBatch, Duration maxWait, MeterRegistry meters) {
        super("settlement", "settlements", writer::write, true, maxBatch, maxWait, meters);
    }

    /** Whether the completion of a team of {@code targetCount} places is written alone (unknown: no). */
    public static boolean writtenAlone(Integer targetCount) {
        return targetCount != null && targetCount >= ALONE_FROM_MEMBERS;
    }

    @Override
    protected SettlementOutcome failed(Throwable e) {
        if (UnknownCommits.cutBeforeCommit(e)) {
            return SettlementOutcome.cut(e);
        }
        return DeadlockVictims.waitedItsBound(e) ? SettlementOutcome.ALONE_BRIEFLY : null;
    }
}
