package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a transaction whose commit failed is answered, by whether its session ended and what its read back finds (the
 * ITs: *CommitLostIT, LateCommitIT).
 */
class UnknownCommitsTest {

    /** A transaction manager whose commit fails, as when the COMMIT's answer is lost. */
    private static final class CommitFails extends AbstractPlatformTransactionManager {
        final AtomicInteger commits = new AtomicInteger();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {}

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits.incrementAndGet();
            throw new TransactionSystemException("JDBC rollback failed");
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {}
    }

    private final CommitFails manager = new CommitFails();
    private final TransactionTemplate transaction = new TransactionTemplate(manager);
    private final AtomicInteger readBacks = new AtomicInteger();
    private final Ends sessions = new Ends(true);

    /** Sessions whose end answers {@code ends}; how often one was asked to end. */
    private static final class Ends implements UnknownCommits.Sessions {
        final AtomicInteger asked = new AtomicInteger();
        final boolean ends;

        Ends(boolean ends) {
            this.ends = ends;
        }

        @Override
        public UnknownCommits.Session current() {
            return () -> {
                asked.incrementAndGet();
                return ends;
            };
        }
    }

    private <T> T execute(TransactionCallback<T> body, Predicate<T> committed) {
        return UnknownCommits.execute(transaction, body, committed, sessions);
    }

    @Test
    void aCommitFoundWrittenAnswersTheTransactionsResult() {
        String answer = execute((TransactionStatus s) -> "written", r -> {
            readBacks.incrementAndGet();
            return true;
        });

        assertThat(answer).isEqualTo("written");
        assertThat(manager.commits).hasValue(1);
        assertThat(readBacks).hasValue(1);
        assertThat(sessions.asked)
                .as("the transaction's session ended before the read back")
                .hasValue(1);
    }

    @Test
    void aCommitNotFoundIsTheDatabasesFailure() {
        assertThatThrownBy(() -> execute((TransactionStatus s) -> "written", r -> false))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasCauseInstanceOf(TransactionSystemException.class);
    }

    @Test
    void aReadBackThatFailsLeavesTheOutcomeUnknownAndRetryable() {
        assertThatThrownBy(() -> execute((TransactionStatus s) -> "written", r -> {
                    throw new IllegalStateException("database gone");
                }))
                .isInstanceOf(DependencyUnavailableException.class)
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(1));
    }

    @Test
    void aStatementThatFailedIsNotReadBack() {
        assertThatThrownBy(() -> execute(
                        (TransactionStatus s) -> {
                            throw new IllegalArgumentException("guard refused");
                        },
                        r -> {
                            readBacks.incrementAndGet();
                            return true;
                        }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(readBacks).hasValue(0);
        assertThat(manager.commits).hasValue(0);
        assertThat(sessions.asked).hasValue(0);
    }

    /** Still there past its bound, the session's COMMIT may land yet: nothing read back now could say it will not. */
    @Test
    void aSessionThatDidNotEndLeavesTheOutcomeUnknownUnread() {
        assertThatThrownBy(() -> UnknownCommits.execute(
                        transaction,
                        (TransactionStatus s) -> "written",
                        r -> {
                            readBacks.incrementAndGet();
                            return false;
                        },
                        new Ends(false)))
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .hasCauseInstanceOf(TransactionSystemException.class);
        assertThat(readBacks).hasValue(0);
    }

    @Test
    void aSessionThatCouldNotBeEndedLeavesTheOutcomeUnknownUnread() {
        UnknownCommits.Sessions unreachable = () -> () -> {
            throw new IllegalStateException("database gone");
        };
        assertThatThrownBy(() -> UnknownCommits.execute(
                        transaction,
                        (TransactionStatus s) -> "written",
                        r -> {
                            readBacks.incrementAndGet();
                            return false;
                        },
                        unreachable))
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(1));
        assertThat(readBacks).hasValue(0);
    }

    /** A transaction manager with no data source (no session to end): a failed commit's outcome is unknown. */
    @Test
    void noSessionToEndLeavesTheOutcomeUnknown() {
        assertThatThrownBy(() -> UnknownCommits.execute(transaction, (TransactionStatus s) -> "written", r -> {
                    readBacks.incrementAndGet();
                    return false;
                }))
                .isInstanceOf(CommitOutcomeUnknownException.class);
        assertThat(readBacks).hasValue(0);
    }
}
