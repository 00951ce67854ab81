package com.groupbuy.market.config.outage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Invocation;

/**
 * Every statement the service runs goes through a MyBatis executor — a partner's request, the notify and compensation
 * runs, the timeout job, retention, close checks — so a write the server refused because it takes no writes is seen
 * here, wherever it came from, and retires the pool ({@link StaleWriterEviction}, at most once a second). It was seen
 * only by the HTTP answer's resolver before: a service whose only traffic was jobs kept its connections on an old
 * primary until Hikari's {@code maxLifetime}. The exception itself goes on unchanged to its caller.
 */
public class StaleWriterInterceptor implements Interceptor {

    private final StaleWriterEviction staleWriters;

    public StaleWriterInterceptor(StaleWriterEviction staleWriters) {
        this.staleWriters = staleWriters;
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
                    try {
                        return method.invoke(executor, args);
                    } catch (InvocationTargetException e) {
                        noticed(e.getCause());
                        throw e.getCause();
                    }
                });
    }

    /** Not called: {@link #plugin} wraps the executor itself. */
    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        return invocation.proceed();
    }

    /** {@code failure}: what a statement threw; retires the pool when the server refused it as read-only. */
    void noticed(Throwable failure) {
        SQLException refused = DependencyOutageResolver.refusedWrite(failure);
        if (refused != null) {
            staleWriters.writeRefused(refused.getMessage());
        }
    }
}
