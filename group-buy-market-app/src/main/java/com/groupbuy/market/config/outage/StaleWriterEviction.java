package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import lombok.extern.slf4j.Slf4j;

/**
 * After a write refused because the server takes no writes, retires every pooled connection (Hikari's soft eviction:
 * idle ones closed now, lent ones when given back), so the next borrow opens a new connection. A failover that moves
 * the writer behind the same address (DNS, a proxy) without closing connections otherwise leaves every pooled
 * connection on the old, read-only primary until Hikari's {@code maxLifetime} (30 min): Hikari evicts only broken
 * connections, and one to a read-only server is not broken. At most once per {@link #MIN_INTERVAL_NANOS} (a storm of
 * refusals would otherwise churn the pool, reconnecting on every request while the old primary is all there is).
 */
@Slf4j
public class StaleWriterEviction {

    /** One second: a reconnect is a few milliseconds, and a second of refusals after a failover is what a retry rides. */
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final DataSource dataSource;
    private final LongSupplier nanoTime;
    private final AtomicLong lastEviction;

    /** {@code dataSource}: the application's (Hikari's pool, or a wrapper of it); null when there is none. */
    public StaleWriterEviction(DataSource dataSource) {
        this(dataSource, System::nanoTime);
    }

    StaleWriterEviction(DataSource dataSource, LongSupplier nanoTime) {
        this.dataSource = dataSource;
        this.nanoTime = nanoTime;
        this.lastEviction = new AtomicLong(nanoTime.getAsLong() - MIN_INTERVAL_NANOS);
    }

    /** A statement was refused because the server takes no writes ({@code reason}: the server's message). */
    public void writeRefused(String reason) {
        retire("database refused a write (" + reason + ")");
    }

    /**
     * A pooled connection reached a server that takes no writes although nothing was written ({@code where}: who
     * looked, the health check): after a failover behind one address the new primary may be a new connection away.
     */
    public void readOnlyFound(String where) {
        retire(where + " found the database read-only");
    }

    private void retire(String cause) {
        long now = nanoTime.getAsLong();
        long last = lastEviction.get();
        if (now - last < MIN_INTERVAL_NANOS) {
            return;
        }
        if (!lastEviction.compareAndSet(last, now)) {
            return; // another thread evicts for this refusal storm
        }
        HikariPoolMXBean pool = pool();
        if (pool == null) {
            return;
        }
        int active = pool.getActiveConnections();
        int idle = pool.getIdleConnections();
        pool.softEvictConnections();
        log.warn(
                "{}: every pooled connection retired ({} idle now, {} lent when given back),"
                        + " so the next ones reach the server now behind the address",
                cause,
                idle,
                active);
    }

    /** The pool behind the data source (the breaker's wrapper unwrapped), null when it is not Hikari's. */
    HikariPoolMXBean pool() {
        try {
            return dataSource != null && dataSource.isWrapperFor(HikariDataSource.class)
                    ? dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean()
                    : null;
        } catch (SQLException e) {
            log.warn("pooled connections not retired after a refused write: {}", e.toString());
            return null;
        }
    }
}
