package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import lombok.extern.slf4j.Slf4j;

/**
 * Group commit of locks (#19): concurrent locks, of any teams, are written in one transaction ({@link LockBatchWriter})
 * by one writer thread ({@link GroupCommit}: thread {@code lock-group-commit}, meters {@code gbm.lock.group.commit.*}),
 * so a commit and the statements' round trips are paid once per batch, not once per lock. Each caller is answered only
 * after its rows committed, with its own outcome; a batch that cannot be written is rolled back and each of its
 * callers writes its lock alone, exactly as with group commit off, so one failing row never fails its neighbours and
 * every error keeps today's code. A caller never gives up waiting: the domain gives a place back only after the
 * write's outcome is known. A batch whose statement waited for a row lock (a team's row another transaction holds)
 * until the statement bound ({@code max_statement_time}) has made each of its callers, and the locks queued behind it,
 * wait up to that bound already: each is written alone with a short bound ({@link LockOutcome#ALONE_BRIEFLY}), not up
 * to a second whole one on the same row, alone or in the next batch. A batch that lost its connection before its
 * commit (the socket timeout, the database gone: {@link UnknownCommits#cutBeforeCommit}) has made its callers, and the
 * locks queued behind it, wait for that cut: each is answered E0401 at once ({@link LockOutcome#cut}), not written
 * alone to wait for a second cut; a batch whose commit failed is read back first, as before.
 */
@Slf4j
public class LockGroupCommit implements AutoCloseable {

    private final GroupCommit<LockOrderAggregate, LockOutcome> group;

    public LockGroupCommit(LockBatchWriter writer, int maxBatch, Duration maxWait, MeterRegistry meters) {
        this(writer, maxBatch, maxWait, 1, meters);
    }

    /**
     * @param writers 1, or 2 to pipeline: the next batch's statements are written on a second connection while the
     *     batch before it commits (each batch still its own transaction, its callers answered once it committed)
     */
    public LockGroupCommit(LockBatchWriter writer, int maxBatch, Duration maxWait, int writers, MeterRegistry meters) {
        this(writer, null, maxBatch, maxWait, writers, meters);
    }

    /**
     * @param places when given, the counters of the teams a batch opened are made once it committed, in one round trip
     *     for the batch, before its callers are answered ({@link ITeamPlaceReservation#countOpened})
     */
    public LockGroupCommit(
            LockBatchWriter writer,
            ITeamPlaceReservation places,
            int maxBatch,
            Duration maxWait,
            int writers,
            MeterRegistry meters) {
        GroupCommit.BatchWriter<LockOrderAggregate, LockOutcome> write = places == null
                ? writer::write
                : (locks, statementsWritten) -> counted(places, locks, writer.write(locks, statementsWritten));
        this.group = new GroupCommit<>("lock", "locks", write, false, maxBatch, maxWait, writers, meters) {
            @Override
            protected LockOutcome failed(Throwable e) {
                if (e instanceof CommitOutcomeUnknownException unknown) {
                    return LockOutcome.unknown(unknown);
                }
                if (UnknownCommits.cutBeforeCommit(e)) {
                    return LockOutcome.cut(e);
                }
                return DeadlockVictims.waitedItsBound(e) ? LockOutcome.ALONE_BRIEFLY : null;
            }

            /** The locks queued behind a batch of unknown outcome were not in it: they are written as usual. */
            @Override
            protected LockOutcome failedBehind(Throwable e) {
                return e instanceof CommitOutcomeUnknownException ? null : failed(e);
            }
        };
    }

    /**
     * The lock written with whatever other locks are waiting, once committed; {@code alone} writes it in a transaction
     * of its own when its batch could not be written (or the writer has stopped), and its answer is the caller's;
     * {@code aloneBriefly} instead when the batch waited its statement bound.
     */
    public MarketPayOrderEntity lock(
            LockOrderAggregate lock,
            Function<LockOrderAggregate, MarketPayOrderEntity> alone,
            Function<LockOrderAggregate, MarketPayOrderEntity> aloneBriefly) {
        LockOutcome outcome = group.submit(lock).orElse(LockOutcome.ALONE);
        if (outcome.order() != null) {
            return outcome.order();
        }
        if (outcome.refusal() != null) {
            throw new AppException(outcome.refusal());
        }
        if (outcome.unknown() != null) {
            throw new CommitOutcomeUnknownException(outcome.unknown());
        }
        if (outcome.cut() != null) {
            throw new DependencyUnavailableException(
                    "database", "its lock batch lost its connection, nothing written", outcome.cut());
        }
        return outcome.aloneBriefly() ? aloneBriefly.apply(lock) : alone.apply(lock);
    }

    /**
     * The committed batch's new teams counted in Redis; never a failure of the batch, which committed: a counter not
     * made now is seeded from the team row by its first join ({@link ITeamPlaceReservation#reserve}).
     */
    private static List<LockOutcome> counted(
            ITeamPlaceReservation places, List<LockOrderAggregate> locks, List<LockOutcome> outcomes) {
        List<ITeamPlaceReservation.OpenedTeam> opened = new ArrayList<>();
        for (int i = 0; i < locks.size() && i < outcomes.size(); i++) {
            LockOrderAggregate lock = locks.get(i);
            if (lock.isNewTeam() && outcomes.get(i).order() != null) {
                opened.add(opened(lock));
            }
        }
        countOpened(places, opened);
        return outcomes;
    }

    /** {@link ITeamPlaceReservation#countOpened}, its failure logged: the teams' rows are committed either way. */
    static ITeamPlaceReservation.OpenedTeam opened(LockOrderAggregate lock) {
        return new ITeamPlaceReservation.OpenedTeam(lock.getTeamId(), lock.getOrderId(), lock.getValidEndTime());
    }

    static void countOpened(ITeamPlaceReservation places, List<ITeamPlaceReservation.OpenedTeam> opened) {
        if (opened.isEmpty()) {
            return;
        }
        try {
            places.countOpened(opened);
        } catch (RuntimeException e) {
            log.warn(
                    "place counters of {} opened team(s) not made (their first joins seed them): {}",
                    opened.size(),
                    e.toString());
        }
    }

    /** Locks waiting for the writer (not those of the batch being written). */
    int queued() {
        return group.queued();
    }

    /** Writes what has queued, then stops; later locks are written alone. */
    @Override
    public void close() throws InterruptedException {
        group.close();
    }
}
