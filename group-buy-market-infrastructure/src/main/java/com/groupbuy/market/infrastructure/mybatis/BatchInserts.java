package com.groupbuy.market.infrastructure.mybatis;

import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.defaults.DefaultSqlSessionFactory;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Many rows of an insert written as one JDBC batch (#19, the group-commit writer): each row goes through the mapper's
 * static single-row insert, queued on MyBatis's batch executor, and {@link #flush} sends each statement's rows in one
 * go, which Connector/J ({@code rewriteBatchedStatements=true}, every datasource) sends as one multi-row INSERT. A
 * {@code <foreach>} insert had MyBatis build, and Connector/J parse, a new SQL text for every batch size (past a few
 * rows longer than the driver's statement cache keeps); here the text is the same whatever the size, so each parses
 * it once and the driver assembles the multi-row form from its cached parse.
 *
 * <p>The batch session comes from a second {@link SqlSessionFactory} over the same configuration: MyBatis-Spring keys
 * a transaction's session by its factory and refuses a second executor type on one, so the mappers of the simple
 * executor and these batched inserts share one transaction and its connection. Only within a transaction: there
 * what is queued waits for {@link #flush} (or the commit); outside one each call would be sent on its own.
 */
@Component
public class BatchInserts {

    private final SqlSessionTemplate session;
    private final ConcurrentMap<Class<?>, Object> mappers = new ConcurrentHashMap<>();

    public BatchInserts(SqlSessionFactory sessions) {
        this.session =
                new SqlSessionTemplate(new DefaultSqlSessionFactory(sessions.getConfiguration()), ExecutorType.BATCH);
    }

    /** The mapper whose inserts queue on the transaction's batch session until {@link #flush}. */
    public <T> T mapper(Class<T> type) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("batched inserts wait for a flush within a transaction; none is active");
        }
        return type.cast(mappers.computeIfAbsent(type, session::getMapper));
    }

    /**
     * Sends every insert queued in this transaction, in the order queued (one multi-row INSERT per run of one
     * statement), sets the generated keys where the statement asks for them, and returns the rows written; throws when
     * the database refused any (the caller's transaction then rolls back).
     */
    public int flush() {
        int rows = 0;
        for (BatchResult result : session.flushStatements()) {
            int[] counts = result.getUpdateCounts();
            for (int count : counts) {
                // A multi-row INSERT reports no count per row (SUCCESS_NO_INFO): it wrote every row or failed whole.
                if (count != 1 && count != Statement.SUCCESS_NO_INFO) {
                    throw new IllegalStateException(result.getMappedStatement().getId() + " of " + counts.length
                            + " rows reported a row count of " + count);
                }
            }
            rows += counts.length;
        }
        return rows;
    }
}
