package com.groupbuy.market.infrastructure.outage;

import com.groupbuy.market.types.exception.Causes;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import lombok.extern.slf4j.Slf4j;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.WriteRedisConnectionException;

/**
 * Runs Redis calls through the Redis breaker: a connection failure or timeout counts against it and surfaces as
 * {@link DependencyUnavailableException}; an answer (even an error reply, which is our bug, not an outage) closes it.
 * <p>
 * After Redis restarted, Redisson's pool still hands out connections the old server closed until it has reconnected
 * each of them (two at a time, on a 100 ms timer: a second or two for a pool of 24). Writing a command into such a
 * connection fails before a byte reaches Redis ({@link WriteRedisConnectionException}), so while every node is
 * reachable again ({@link RedisLinks}) the call is sent again, within {@code gbm.outage.redis-resend-within}, instead
 * of answering the partner E0401 and counting against the breaker. A node that dropped our connections is waited for
 * up to {@code gbm.outage.redis-reconnect-wait} (a restart is back within it); still down then, it is an outage: the
 * call answers E0401 and counts, and once the breaker opens every call is answered at once, as before. A call whose
 * new connection Redis refused at its {@code maxclients} was not sent either, and is sent again the same way. A call
 * given here must therefore be safe to repeat when it provably was not sent: its commands run with Redisson's own
 * retries off (one attempt, so a failed write means it never ran) or are idempotent. Built by {@code OutageConfig}
 * from {@code gbm.outage.*}.
 */
@Slf4j
public class RedisOutages {

    private static final long RESEND_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private final DependencyBreaker breaker;
    private final RedisLinks links;
    private final long resendWithinNanos;
    private final long reconnectWaitNanos;

    /** Never sends again: every failure counts (tests that wire the breaker by hand). */
    public RedisOutages(DependencyBreaker redisBreaker) {
        this(redisBreaker, null, Duration.ZERO, Duration.ZERO);
    }

    public RedisOutages(
            DependencyBreaker redisBreaker, RedisLinks links, Duration resendWithin, Duration reconnectWait) {
        this.breaker = redisBreaker;
        this.links = links;
        this.resendWithinNanos = resendWithin.toNanos();
        this.reconnectWaitNanos = Math.min(reconnectWait.toNanos(), resendWithinNanos);
    }

    public <T> T call(Supplier<T> redisCall) {
        breaker.check();
        long firstFailure = 0;
        int resent = 0;
        while (true) {
            try {
                T result = redisCall.get();
                breaker.success();
                if (resent > 0) {
                    log.info(
                            "Redis call sent again {} time(s) after stale pooled or refused new connections, then"
                                    + " answered",
                            resent);
                }
                return result;
            } catch (RuntimeException e) {
                if (!isOutage(e)) {
                    breaker.success();
                    throw e;
                }
                boolean refused = refusedNewConnection(e);
                if ((refused || notSent(e)) && links != null) {
                    if (resent == 0) {
                        firstFailure = System.nanoTime();
                    }
                    // A node that dropped our connections may be restarting: Redisson notices the drop and connects
                    // again a few hundred ms later (the first try after 100 ms), and the command found a closed
                    // connection in between. Wait that long for the node; still down after it is an outage. A node
                    // that refused a new connection at its maxclients answered: the pool's other connections serve.
                    boolean reachable = refused || awaitReachable(firstFailure + reconnectWaitNanos);
                    if (reachable && System.nanoTime() - (firstFailure + resendWithinNanos) < 0) {
                        LockSupport.parkNanos(RESEND_PAUSE_NANOS);
                        resent++;
                        continue;
                    }
                }
                // Counted even when refused: no connection of ours got the call through for the whole resend window.
                breaker.failure(e);
                throw new DependencyUnavailableException(DependencyUnavailableException.REDIS, e.getMessage(), e);
            }
        }
    }

    /** Whether every node takes connections again, waiting for it until {@code deadline} (nanoTime). */
    private boolean awaitReachable(long deadline) {
        while (!links.allReachable()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(RESEND_PAUSE_NANOS);
        }
        return true;
    }

    /**
     * Redis refused the connection the pool grew for this call, at its {@code maxclients}, before the call was written.
     * Not Redis down: the pool's other connections serve (before 2026-12-06 a burst's refusals opened the breaker five
     * times, a success closing it each time; RedisClientLimitIT), so the call is sent again, within the resend window,
     * on whatever connection the pool hands out then.
     */
    public static boolean refusedNewConnection(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (refusedAtMaxclients(t)) {
                return true;
            }
        }
        return false;
    }

    /** Redisson could not write the command into the connection: not a byte of it reached Redis. */
    static boolean notSent(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof WriteRedisConnectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connection refused or lost, no answer in time, or a Redis that refuses commands for a while; Redisson reports
     * them under these types. {@link RedisRetryException} is each refusal Redis itself says will pass ({@code
     * LOADING}, {@code BUSY}, {@code TRYAGAIN}, and a Redis Cluster's {@code CLUSTERDOWN} — every node's answer, for
     * every key, from the moment a master is failed until a replica has taken over — {@code MASTERDOWN}, {@code
     * NOREPLICAS}); {@code READONLY} is a write that reached a node no longer master; {@code OOM} is a Redis over its
     * {@code maxmemory} refusing every write (a script's first write too, so the script wrote nothing) until memory is
     * freed. They were answered 500 {@code 0001} and closed the breaker. So was a Redis at its {@code maxclients}
     * refusing a connection the pool grew under load ({@code ERR max number of clients reached}, the reply to the new
     * connection's first PING, before our command was written; RedisClientLimitIT). {@code MISCONF} is a Redis that
     * cannot persist (an RDB snapshot or an AOF write failed: disk full, directory gone) refusing every write, a
     * script's first write too (so the script wrote nothing), and {@code PING}, until it persists again; it
     * too was 500 {@code 0001} with an ERROR per request (RedisMisconfIT). {@code NOSCRIPT} reaches us only when a
     * node lost its script cache again between Redisson's {@code SCRIPT LOAD} and its second {@code EVALSHA} (a second
     * {@code SCRIPT FLUSH}, a restart or failover in between): the script never ran, so it too wrote nothing, and it
     * was 500 {@code 0001} (ScriptCacheLostTwiceIT).
     */
    public static boolean isOutage(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof RedisConnectionException
                    || refusedAtMaxclients(t)
                    || unableToPersist(t)
                    || t instanceof RedisNoScriptException
                    || t instanceof RedisTimeoutException
                    || t instanceof RedisRetryException
                    || t instanceof RedisReadonlyException
                    || t instanceof RedisOutOfMemoryException
                    || t instanceof RedisNodeNotFoundException
                    || t instanceof RedisReconnectedException
                    || (t instanceof RedisException
                            && t.getMessage() != null
                            && t.getMessage().contains("Unable to send command"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's refusal of a write it could not persist ({@code MISCONF Redis is configured to save RDB snapshots, but
     * it's currently unable to persist to disk…} or {@code MISCONF Errors writing to the AOF file…}), which Redisson
     * reports as a plain error reply, a script's with the script's name after it (and, as Redisson reads {@code OOM},
     * with a leading "-" as a script's error reply may carry it).
     */
    public static boolean unableToPersist(Throwable t) {
        return t instanceof RedisException
                && t.getMessage() != null
                && (t.getMessage().startsWith("MISCONF") || t.getMessage().startsWith("-MISCONF"));
    }

    /** Redis's refusal of a connection past its {@code maxclients}, which Redisson reports as a plain error reply. */
    static boolean refusedAtMaxclients(Throwable t) {
        return t instanceof RedisException
                && t.getMessage() != null
                && t.getMessage().startsWith("ERR max number of clients reached");
    }
}
