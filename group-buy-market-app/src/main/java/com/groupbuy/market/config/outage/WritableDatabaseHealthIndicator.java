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
 * <p>
 * A server whose {@code read_only} is off may still hand every new session a read-only access mode ({@code SET GLOBAL
 * tx_read_only=1}, MySQL 8's {@code transaction_read_only}) while the service runs: every write of such a session is
 * refused (1792, E0401), so the pooled session's access mode is read as well (under either server's name, {@link
 * SessionDefaults#ACCESS_MODE}); it read UP then (DatabaseRuntimeSettingsIT).
 * <p>
 * A full disk has no setting to read: the server answers, reads are served, and writes whose table must grow are
 * refused (1114). The component is {@code OUT_OF_SERVICE} with {@code diskFull: true} while such a refusal is held
 * ({@link SpaceRefusals}: until the refused statement writes again, at most {@code gbm.outage.disk-full-health-for});
 * it read UP through every refusal (DatabaseDiskFullHealthIT). The check writes nothing: probes are frequent.
 */
public class WritableDatabaseHealthIndicator extends DataSourceHealthIndicator {

    /**
     * The server's {@code read_only} and the session's access mode under either server's name, in one round trip (a
     * global-only variable shows its global value among the session's).
     */
    static final String WRITE_SETTINGS =
            "SHOW SESSION VARIABLES WHERE Variable_name IN ('read_only', 'tx_read_only', 'transaction_read_only')";

    private final DataSource dataSource;
    private final StaleWriterEviction staleWriters;
    private final SpaceRefusals spaceRefusals;

    public WritableDatabaseHealthIndicator(
            DataSource dataSource, StaleWriterEviction staleWriters, SpaceRefusals spaceRefusals) {
        super(dataSource);
        this.dataSource = dataSource;
        this.staleWriters = staleWriters;
        this.spaceRefusals = spaceRefusals;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        super.doHealthCheck(builder);
        if (readOnly() == null) {
            SpaceRefusals.Refusal full = spaceRefusals.latest();
            if (full != null) {
                builder.outOfService()
                        .withDetail("diskFull", true)
                        .withDetail(
                                "reason",
                                "the database refused a write for want of disk space "
                                        + full.ago().toSeconds()
                                        + " s ago (" + full.statement() + ": " + full.message()
                                        + "): locks, settlements and refunds whose table must grow are answered"
                                        + " E0401");
            }
            return;
        }
        staleWriters.readOnlyFound("the health check");
        String setting = readOnly();
        if (setting == null) {
            return;
        }
        builder.outOfService()
                .withDetail("readOnly", true)
                .withDetail(
                        "reason",
                        "the database takes no writes (" + setting
                                + "): locks, settlements and refunds are answered E0401");
    }

    /**
     * The setting that makes a pooled session refuse writes — the server's {@code read_only}, or the session's access
     * mode ({@code tx_read_only}, a {@code SET GLOBAL} hands every new session) — else null. Plain JDBC, reads only
     * (the pool's auto-commit is off: a JdbcTemplate is refused here, ArchitectureTest).
     */
    private String readOnly() throws SQLException {
        String accessMode = null;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet answer = statement.executeQuery(WRITE_SETTINGS)) {
            while (answer.next()) {
                String name = answer.getString(1);
                if (SessionDefaults.on(answer.getString(2))) {
                    if ("read_only".equalsIgnoreCase(name)) {
                        return "read_only";
                    }
                    accessMode = "the session's " + name;
                }
            }
        }
        return accessMode;
    }
}
