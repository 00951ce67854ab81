package com.groupbuy.market.config.outage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.outage.DatabaseConnections;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.Causes;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.Ordered;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a request that failed because Redis or the database is unavailable with HTTP 503, {@code Retry-After} and
 * E0401, whatever exception carried the outage. It runs before every other exception handler (highest precedence)
 * and declines, leaving the usual handlers to answer, anything that is not an outage. The envelope is written
 * directly, so no {@code Accept} header can turn it into another answer.
 */
@Slf4j
public class DependencyOutageResolver implements HandlerExceptionResolver, Ordered {

    private final ObjectMapper json;
    private final long retryAfterSeconds;

    /**
     * {@code retryAfterSeconds}: {@code gbm.outage.retry-after}, whole seconds (at least 1: less is refused at start).
     * A write the server refused as read-only has retired the pool already ({@link StaleWriterInterceptor}).
     */
    public DependencyOutageResolver(ObjectMapper json, long retryAfterSeconds) {
        this.json = json;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        String dependency = outage(ex);
        if (dependency == null || response.isCommitted()) {
            return null;
        }
        log.warn(
                "{} {} answered E0401: {} unavailable ({})",
                request.getMethod(),
                request.getRequestURI(),
                dependency,
                Causes.rootMessage(ex));
        try {
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            json.writeValue(
                    response.getOutputStream(),
                    Response.builder()
                            .code(ResponseCode.E0401.getCode())
                            .info(ResponseCode.E0401.getInfo())
                            .data(null)
                            .build());
        } catch (IOException e) {
            log.debug("E0401 answer not written: the caller went away", e);
        }
        return new ModelAndView();
    }

    /** "redis" or "database" when the failure anywhere in the chain is an outage of one, else null. */
    static String outage(Throwable ex) {
        for (Throwable t : Causes.of(ex)) {
            if (t instanceof DependencyUnavailableException unavailable) {
                return unavailable.getDependency();
            }
            if (RedisOutages.isOutage(t)) {
                return "redis";
            }
            // A rollback that failed after the transaction did: Spring throws the rollback's failure and keeps the
            // transaction's own (an outage's, mostly: the same connection lost) aside, not in the chain.
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
                String aside = outage(rollback.getApplicationException());
                if (aside != null) {
                    return aside;
                }
            }
            if (DatabaseConnections.isLost(t)
                    || t instanceof QueryTimeoutException
                    || (t instanceof java.sql.SQLException sql
                            && (waitedPastItsBound(sql) || refusesWrites(sql) || outOfSpace(sql)))) {
                return "database";
            }
        }
        return null;
    }

    /** The refusal of a server that takes no writes anywhere in the chain ({@link #refusesWrites}), else null. */
    static java.sql.SQLException refusedWrite(Throwable ex) {
        return firstSql(ex, DependencyOutageResolver::refusesWrites);
    }

    /** The refusal of a server out of disk space anywhere in the chain ({@link #outOfSpace}), else null. */
    static java.sql.SQLException refusedForSpace(Throwable ex) {
        return firstSql(ex, DependencyOutageResolver::outOfSpace);
    }

    private static java.sql.SQLException firstSql(Throwable ex, Predicate<java.sql.SQLException> kind) {
        for (Throwable t : Causes.of(ex)) {
            if (t instanceof java.sql.SQLException sql && kind.test(sql)) {
                return sql;
            }
        }
        return null;
    }

    /**
     * A statement the database gave up on while it waited (for a row lock, mostly): MariaDB's {@code
     * max_statement_time} (1969, the 10 s bound every pooled connection carries), MySQL's {@code max_execution_time}
     * (3024) or InnoDB's {@code innodb_lock_wait_timeout} (1205). Nothing of the write is kept (the statement is
     * interrupted and the write's transaction rolled back), and the same request sent again later is answered what it
     * then is, so the answer is E0401 with Retry-After, as it was while the bound was Connector/J's timer (a
     * QueryTimeoutException), not 0001: Spring leaves 1969 uncategorized and maps 1205 to a lock failure. A deadlock's
     * victim (1213) that reaches here lost its retries too (InnoDB rolled its whole transaction back, nothing written):
     * the same request later gets the true answer, so it is E0401 as well, never 0001.
     */
    private static boolean waitedPastItsBound(java.sql.SQLException sql) {
        return DeadlockVictims.isBoundCode(sql) || sql.getErrorCode() == 1213;
    }

    /**
     * A server that takes no writes: MariaDB's or MySQL's {@code read_only} (or {@code super_read_only}) is on, as a
     * failover leaves the old primary and as a replica is until it is promoted ({@code 1290} naming the option; MySQL's
     * {@code 1836}; {@code 1792}, a write in a read-only transaction). The statement wrote nothing (its transaction is
     * rolled back) and the same request answers once a writable server is back, so it is E0401 with Retry-After, as
     * an outage; it was HTTP 500 0001 ("unknown failure", DatabaseRestartIT), a final-looking answer to a write that
     * only has to be sent again. It does not open the
     * breaker: reads still work, and the next write may already find the new primary — on a new connection, which is
     * why the pool's connections are retired then ({@link StaleWriterEviction}).
     */
    static boolean refusesWrites(java.sql.SQLException sql) {
        return switch (sql.getErrorCode()) {
            case 1290 -> sql.getMessage() != null && sql.getMessage().contains("read-only");
            case 1792, 1836 -> true;
            default -> false;
        };
    }

    /**
     * A server out of disk space: InnoDB could not extend a table's tablespace ({@code 1114} "The table … is full"),
     * or a write failed for lack of space ({@code 1021} "Disk full", an {@code errno 28} "No space left on device"
     * named in any other error: a temporary file, a log). The statement wrote nothing (it is rolled back, and the
     * write's transaction with it) and the same request answers once space is freed, so it is E0401 with Retry-After,
     * as an outage: it was HTTP 500 0001 ("unknown failure", DatabaseRestartIT), a final-looking answer to a write that
     * only has to be sent again. It neither opens the breaker nor retires the pool: reads still work, and the
     * connections are sound.
     */
    static boolean outOfSpace(java.sql.SQLException sql) {
        return sql.getErrorCode() == 1114
                || sql.getErrorCode() == 1021
                || (sql.getMessage() != null && sql.getMessage().contains("No space left on device"));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
