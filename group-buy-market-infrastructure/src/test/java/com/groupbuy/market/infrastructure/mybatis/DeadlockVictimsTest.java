package com.groupbuy.market.infrastructure.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A deadlock's victim is written again, up to 3 tries; a lock wait timeout is thrown at once, although Connector/J
 * reports it (1205) under a deadlock's SQLSTATE 40001. Proved to fail on main's test (1213 or SQLSTATE 40001): the
 * lock wait timeout was written again 3 times.
 */
class DeadlockVictimsTest {

    @Test
    void aDeadlocksVictimIsWrittenAgainUntilItIsWritten() {
        AtomicInteger tries = new AtomicInteger();
        String written = DeadlockVictims.writeAgain(
                () -> {
                    if (tries.incrementAndGet() < 3) {
                        throw new DeadlockLoserDataAccessException(
                                "deadlock", new SQLException("Deadlock found", "40001", 1213));
                    }
                    return "written";
                },
                () -> "test");
        assertThat(written).isEqualTo("written");
        assertThat(tries).hasValue(3);
    }

    @Test
    void aDeadlocksVictimThreeTimesOverIsThrown() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> DeadlockVictims.writeAgain(
                        () -> {
                            tries.incrementAndGet();
                            throw new DeadlockLoserDataAccessException(
                                    "deadlock", new SQLException("Deadlock found", "40001", 1213));
                        },
                        () -> "test"))
                .isInstanceOf(DeadlockLoserDataAccessException.class);
        assertThat(tries).hasValue(DeadlockVictims.TRIES);
    }

    @Test
    void aLockWaitTimeoutIsThrownAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> DeadlockVictims.writeAgain(
                        () -> {
                            tries.incrementAndGet();
                            // Connector/J's SQLSTATE for 1205.
                            throw new CannotAcquireLockException(
                                    "wait", new SQLException("Lock wait timeout exceeded", "40001", 1205));
                        },
                        () -> "test"))
                .isInstanceOf(CannotAcquireLockException.class);
        assertThat(tries).hasValue(1);
    }

    @Test
    void aStatementStoppedAtItsBoundWaitedItsBoundAndADeadlockDidNot() {
        assertThat(DeadlockVictims.waitedItsBound(new RuntimeException(new SQLException(
                        "Query execution was interrupted (max_statement_time exceeded)", "70100", 1969))))
                .isTrue();
        assertThat(DeadlockVictims.waitedItsBound(
                        new CannotAcquireLockException("wait", new SQLException("Lock wait timeout", "40001", 1205))))
                .isTrue();
        assertThat(DeadlockVictims.waitedItsBound(new DeadlockLoserDataAccessException(
                        "deadlock", new SQLException("Deadlock found", "40001", 1213))))
                .isFalse();
    }

    @Test
    void aBriefTransactionIsItsTemplateWithAOneSecondTimeout() {
        PlatformTransactionManager manager = new PlatformTransactionManager() {
            @Override
            public TransactionStatus getTransaction(TransactionDefinition definition) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void commit(TransactionStatus status) {}

            @Override
            public void rollback(TransactionStatus status) {}
        };
        TransactionTemplate template = new TransactionTemplate(manager);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);

        TransactionTemplate brief = DeadlockVictims.briefTransaction(template);

        assertThat(brief.getTransactionManager()).isSameAs(manager);
        assertThat(brief.getIsolationLevel()).isEqualTo(TransactionDefinition.ISOLATION_READ_COMMITTED);
        assertThat(brief.getPropagationBehavior()).isEqualTo(TransactionDefinition.PROPAGATION_REQUIRED);
        assertThat(brief.getTimeout()).isEqualTo(1);
        assertThat(template.getTimeout()).isEqualTo(TransactionDefinition.TIMEOUT_DEFAULT);
    }

    /** A chain that loops back (A caused by B caused by A) is looked through once. Hung on main. */
    @Test
    void aChainThatLoopsBackIsLookedThroughOnce() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner);

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DeadlockVictims.isDeadlock(outer)))
                .isFalse();
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DeadlockVictims.waitedItsBound(outer)))
                .isFalse();
    }
}
