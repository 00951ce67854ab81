package com.groupbuy.market.config.outage;

import com.groupbuy.market.types.exception.Causes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.List;
import org.apache.ibatis.executor.BatchExecutor;
import org.apache.ibatis.executor.BatchExecutorException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Invocation;

/**
 * Every statement the service runs goes through a MyBatis executor — a partner's request, the notify and compensation
 * runs, the timeout job, retention, close checks — so a write the server refused because it takes no writes is seen
 * here, wherever it came from, and retires the pool ({@link StaleWriterEviction}, at most once a second). It was seen
 * only by the HTTP answer's resolver before: a service whose only traffic was jobs kept its connections on an old
 * primary until Hikari's {@code maxLifetime}. A write refused for want of disk space is held for the {@code db}
 * health component ({@link SpaceRefusals}) until the same statement writes again, which is seen here too. The exception
 * itself goes on unchanged to its caller.
 */
public class StaleWriterInterceptor implements Interceptor {

    private final StaleWriterEviction staleWriters;
    private final SpaceRefusals spaceRefusals;

    public StaleWriterInterceptor(StaleWriterEviction staleWriters, SpaceRefusals spaceRefusals) {
        this.staleWriters = staleWriters;
        this.spaceRefusals = spaceRefusals;
    }

    /**
     * The executor behind a proxy that looks at what each call threw. Not MyBatis' {@code Plugin.wrap}, which reads
     * the interceptor's annotations again for every executor (one per session: per transaction, per call).
     */
    @Override
    public Object plugin(Object target) {
        if (!(target instanceof Executor executor)) {
            return target;
        }
        return Proxy.newProxyInstance(
                Executor.class.getClassLoader(), new Class<?>[] {Executor.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(executor, args);
                    } catch (InvocationTargetException e) {
                        noticed(e.getCause(), args);
                        throw e.getCause();
                    }
                    wrote(method.getName(), args, result);
                    return result;
                });
    }

    /** Not called: {@link #plugin} wraps the executor itself. */
    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        return invocation.proceed();
    }

    /**
     * {@code failure}: what a call with {@code args} threw; retires the pool when the server refused it as read-only,
     * holds it for health when refused for want of space.
     */
    void noticed(Throwable failure, Object[] args) {
        SQLException refused = DependencyOutageResolver.refusedWrite(failure);
        if (refused != null) {
            staleWriters.writeRefused(refused.getMessage());
        }
        SQLException full = DependencyOutageResolver.refusedForSpace(failure);
        if (full != null) {
            spaceRefusals.refused(statement(failure, args, full), full.getMessage());
        }
    }

    /**
     * A call that returned: an update sent on its own ({@code update} of a simple executor; a batch executor's only
     * queues it) or a batch sent ({@code flushStatements}) wrote its statements.
     */
    void wrote(String call, Object[] args, Object result) {
        if ("update".equals(call)
                && result instanceof Integer rows
                && rows != BatchExecutor.BATCH_UPDATE_RETURN_VALUE
                && args[0] instanceof MappedStatement statement) {
            spaceRefusals.wrote(statement.getId());
        } else if ("flushStatements".equals(call) && result instanceof List<?> batches) {
            for (Object batch : batches) {
                if (batch instanceof BatchResult sent) {
                    spaceRefusals.wrote(sent.getMappedStatement().getId());
                }
            }
        }
    }

    /** The refused statement's id: the update's, or the batch's that failed; else the server's message. */
    private static String statement(Throwable failure, Object[] args, SQLException refused) {
        if (args != null && args.length > 0 && args[0] instanceof MappedStatement statement) {
            return statement.getId();
        }
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof BatchExecutorException batch && batch.getFailingStatementId() != null) {
                return batch.getFailingStatementId();
            }
        }
        return refused.getMessage();
    }
}
