package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** What a transaction whose commit failed is answered, by what its read back finds (the ITs: *CommitLostIT). */
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

    @Test
    void aCommitFoundWrittenAnswersTheTransactionsResult() {
        String answer = UnknownCommits.execute(transaction, (TransactionStatus s) -> "written", r -> {
            readBacks.incrementAndGet();
            return true;
        });

        assertThat(answer).isEqualTo("written");
        assertThat(manager.commits).hasValue(1);
        assertThat(readBacks).hasValue(1);
    }

    @Test
    void aCommitNotFoundIsTheDatabasesFailure() {
        assertThatThrownBy(() -> UnknownCommits.execute(transaction, (TransactionStatus s) -> "written", r -> false))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasCauseInstanceOf(TransactionSystemException.class);
    }

    @Test
    void aReadBackThatFailsLeavesTheOutcomeUnknownAndRetryable() {
        assertThatThrownBy(() -> UnknownCommits.execute(transaction, (TransactionStatus s) -> "written", r -> {
                    throw new IllegalStateException("database gone");
                }))
                .isInstanceOf(DependencyUnavailableException.class)
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(1));
    }

    @Test
    void aStatementThatFailedIsNotReadBack() {
        assertThatThrownBy(() -> UnknownCommits.execute(
                        transaction,
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
    }
}
