package com.groupbuy.market.infrastructure.outage;

import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.function.Supplier;
import org.redisson.client.RedisBusyException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisTryAgainException;
import org.springframework.stereotype.Component;

/**
 * Runs Redis calls through the Redis breaker: a connection failure or timeout counts against it and surfaces as
 * {@link DependencyUnavailableException}; an answer (even an error reply, which is our bug, not an outage) closes it.
 */
@Component
public class RedisOutages {

    private final DependencyBreaker breaker;

    public RedisOutages(DependencyBreaker redisBreaker) {
        this.breaker = redisBreaker;
    }

    public <T> T call(Supplier<T> redisCall) {
        breaker.check();
        try {
            T result = redisCall.get();
            breaker.success();
            return result;
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                breaker.failure(e);
                throw new DependencyUnavailableException("redis", e.getMessage(), e);
            }
            breaker.success();
            throw e;
        }
    }

    /** Connection refused or lost, or no answer in time; Redisson reports them under these types. */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisConnectionException
                    || t instanceof RedisTimeoutException
                    || t instanceof RedisLoadingException
                    || t instanceof RedisBusyException
                    || t instanceof RedisNodeNotFoundException
                    || t instanceof RedisReconnectedException
                    || t instanceof RedisTryAgainException
                    || (t instanceof RedisException
                            && t.getMessage() != null
                            && t.getMessage().contains("Unable to send command"))) {
                return true;
            }
        }
        return false;
    }
}
