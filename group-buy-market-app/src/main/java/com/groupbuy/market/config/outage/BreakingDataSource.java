package com.groupbuy.market.config.outage;

import com.groupbuy.market.infrastructure.outage.DependencyBreaker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool behind the database breaker: while the database is known down, asking for a connection fails at once
 * instead of waiting out the pool's connection timeout on every request.
 */
class BreakingDataSource extends DelegatingDataSource {

    private final DependencyBreaker breaker;

    BreakingDataSource(DataSource pool, DependencyBreaker breaker) {
        super(pool);
        this.breaker = breaker;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(() -> super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guarded(() -> super.getConnection(username, password));
    }

    private Connection guarded(ConnectionSource source) throws SQLException {
        try {
            breaker.check();
        } catch (RuntimeException open) {
            throw new SQLTransientConnectionException(open.getMessage(), "08001", open);
        }
        try {
            Connection connection = source.get();
            breaker.success();
            return connection;
        } catch (SQLException e) {
            breaker.failure(e);
            throw e;
        }
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }
}
