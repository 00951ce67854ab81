package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.infrastructure.outage.DatabaseConnections;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import lombok.extern.slf4j.Slf4j;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction whose every statement succeeded can still fail at its COMMIT without having failed: the COMMIT reached
 * the database and committed, and only its answer was lost (the connection dropped). The error then says nothing about
 * what was written, and writing again, or answering an error, would treat committed rows as never written (a lock
 * rewritten lock by lock gave its Redis place back; a lone lock was answered an error). So after such a failure the
 * writer reads back, on a fresh connection, the rows only this transaction could have written: present, it committed
 * and its result is the answer; absent, it did not. The COMMIT may still be inside the server then, its session unaware
 * that its client is gone, and land after the read back ({@link CommitSessions}): so the read back waits until that
 * session is ended for certain (killed and gone), and only then is "absent" true. Absent, or when the session could not
 * be ended within its bound or the read back fails too (the outcome cannot be known), the commit's failure is the
 * database's: it is thrown as {@link DependencyUnavailableException} (absent: the caller writes again, as for any
 * rolled-back write, or answers E0401 with Retry-After; unknown: {@link CommitOutcomeUnknownException}, and the caller
 * keeps what it holds for the write), not as the rollback's "connection is closed" that Spring throws in its place
 * (answered 0001, HTTP 500). The partner's retry with the same key converges: it finds the rows if they are there (a
 * repeated lock, settlement or refund answers as the first).
 */
@Slf4j
final class UnknownCommits {

    private UnknownCommits() {}

    /**
     * Whether every callback task of these ids is in the database, as the read back of a transaction that wrote them:
     * a task id is handed out once (auto-increment), so a task found is this transaction's, not another's like it.
     */
    static boolean tasksWritten(INotifyTaskDao tasks, Collection<Long> ids) {
        return ids.stream().allMatch(id -> tasks.queryById(id) != null);
    }

    /**
     * Whether a transaction run by {@link #execute} failed because its connection was lost ({@link
     * DatabaseConnections}: the socket timeout, a communications failure, the database gone, no connection to be had)
     * before its COMMIT was sent: the server rolled it back with its session, nothing of it is written, and the
     * database is out of reach, so writing it again now would most likely wait for the same cut (a second socket
     * timeout). Never a failed COMMIT: that one is read back first and thrown as {@link CommitOutcomeUnknownException}
     * (it may have committed) or as {@link DependencyUnavailableException} (the read back answered: nothing written,
     * and the database is there to write it again).
     */
    static boolean cutBeforeCommit(Throwable e) {
        return !(e instanceof DependencyUnavailableException) && DatabaseConnections.lost(e);
    }

    /** The server sessions transactions commit on ({@link CommitSessions} for the service's data source). */
    @FunctionalInterface
    interface Sessions {

        /** No session known: a failed commit's outcome is unknown. */
        Sessions NONE = () -> () -> false;

        /** In a transaction, without a round trip: its session, to be ended for certain if its COMMIT fails. */
        Session current();
    }

    /** The server session of one transaction. */
    @FunctionalInterface
    interface Session {

        /**
         * Whether the session is out of its COMMIT for certain, within a bound: nothing of it can commit any more.
         * Throws when the database cannot be asked.
         */
        boolean ended();
    }

    /**
     * @param committed reads back, outside any transaction, whether the rows of {@code result} are in the database
     */
    static <T> T execute(TransactionTemplate transaction, TransactionCallback<T> body, Predicate<T> committed) {
        return execute(transaction, body, committed, CommitSessions.of(transaction));
    }

    static <T> T execute(
            TransactionTemplate transaction, TransactionCallback<T> body, Predicate<T> committed, Sessions sessions) {
        AtomicBoolean written = new AtomicBoolean();
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Session> session = new AtomicReference<>(Sessions.NONE.current());
        try {
            return transaction.execute(status -> {
                session.set(sessions.current());
                T done = body.doInTransaction(status);
                result.set(done);
                written.set(true);
                return done;
            });
        } catch (RuntimeException e) {
            if (!written.get()) {
                throw e; // a statement failed: rolled back, nothing of it written
            }
            boolean ended;
            boolean found;
            try {
                ended = session.get().ended();
                found = ended && committed.test(result.get());
            } catch (RuntimeException readBack) {
                e.addSuppressed(readBack);
                log.warn("commit outcome unknown: ending its session or its read back failed: {}", readBack.toString());
                throw new CommitOutcomeUnknownException(e);
            }
            if (!ended) {
                // Its COMMIT may still land: a read back finding nothing now would not say it never will.
                log.warn("commit outcome unknown: its session did not end within its bound ({})", e.toString());
                throw new CommitOutcomeUnknownException(e);
            }
            if (!found) {
                throw new DependencyUnavailableException("database", "commit failed, nothing written", e);
            }
            log.warn("commit answered {} but its rows are in the database: committed", e.toString());
            return result.get();
        }
    }
}
