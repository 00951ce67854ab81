package com.groupbuy.market.config.outage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.jdbc.DataSourceHealthIndicator;

/**
 * The {@code db} health component: Spring's check (a connection that answers) and, once that is up, whether the server
 * takes writes. A server with {@code read_only} on (an old primary after a failover, a replica not yet promoted) answers
 * every connection check, so the component read UP while every lock, settlement and refund was answered E0401; it is
 * {@code OUT_OF_SERVICE} then, with {@code readOnly: true} — not DOWN: the server answers and reads are served.
 * <p>
 * The answer is the server behind a pooled connection, and after a failover behind one address (DNS, a proxy) pooled
 * connections may still reach the old primary while new ones reach the new: a read-only answer retires the pool
 * ({@link StaleWriterEviction}, at most once a second) and is asked once more, so health says what a write would now
 * meet. Without that, a load balancer that took every instance out on the first read-only answer would leave no
 * partner traffic to meet a refused write and retire the pool, and instances would stay out until Hikari's {@code
 * maxLifetime} (30 min).
 */
public class WritableDatabaseHealthIndicator extends DataSourceHealthIndicator {

    static final String READ_ONLY = "SELECT @@global.read_only";

    private final DataSource dataSource;
    private final StaleWriterEviction staleWriters;

    public WritableDatabaseHealthIndicator(DataSource dataSource, StaleWriterEviction staleWriters) {
        super(dataSource);
        this.dataSource = dataSource;
        this.staleWriters = staleWriters;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        super.doHealthCheck(builder);
        if (!readOnly()) {
            return;
        }
        staleWriters.readOnlyFound("the health check");
        if (!readOnly()) {
            return;
        }
        builder.outOfService()
                .withDetail("readOnly", true)
                .withDetail(
                        "reason",
                        "the database takes no writes (read_only): locks, settlements and refunds are answered E0401");
    }

    /** Plain JDBC, a read only (the pool's auto-commit is off: a JdbcTemplate is refused here, ArchitectureTest). */
    private boolean readOnly() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet answer = statement.executeQuery(READ_ONLY)) {
            return answer.next() && answer.getInt(1) != 0;
        }
    }
}
