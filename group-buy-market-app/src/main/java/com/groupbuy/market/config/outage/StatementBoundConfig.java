package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Checks the pool's statement bound against its socket timeout ({@link StatementBound}) once the pool's settings are
 * bound and before any connection is made: a start with a bound the socket would cut first is refused, naming both.
 * The pool's sessions get the {@code sql_mode} our SQL is written for ({@link SessionSqlMode}), added to its session
 * variables at the same moment and read back from a pooled session once the context is up; Flyway's connection gets
 * it as its init SQL. The driver settings our statements' meaning hangs on are pinned then too ({@link DriverSettings}),
 * and the transaction isolation level ({@link SessionIsolation}), read back at start as the mode is; and the server's
 * {@code max_allowed_packet}, which no session can raise, is read then ({@link DatabasePacketLimit}). Other server
 * defaults a session inherits are pinned and read back alike, and a binary log in STATEMENT format refused
 * ({@link SessionDefaults}); a pool larger than the server's connection limits is warned of ({@link ConnectionLimits}).
 */
@Configuration(proxyBeanMethods = false)
public class StatementBoundConfig {

    private static final Logger log = LoggerFactory.getLogger(StatementBoundConfig.class);

    @Bean
    public static BeanPostProcessor statementBoundCheck() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource dataSource) {
                    HikariDataSource pool = hikari(dataSource);
                    if (pool != null) {
                        SessionDefaults.apply(pool);
                        SessionSqlMode.apply(pool);
                        DriverSettings.apply(pool);
                        SessionIsolation.apply(pool);
                        StatementBound.check(pool.getDataSourceProperties(), pool.getJdbcUrl());
                        DatabasePacketLimit.check(pool.getDataSourceProperties(), pool.getJdbcUrl());
                    }
                }
                return bean;
            }
        };
    }

    /**
     * A start reads a pooled session's sql_mode, character set and isolation level back: a connection-init-sql may have
     * changed them after the driver and the pool. It reads the server's packet limit too ({@link DatabasePacketLimit}).
     */
    @Bean
    public SmartInitializingSingleton sessionSqlModeCheck(ObjectProvider<DataSource> dataSources) {
        return () -> dataSources.orderedStream().forEach(dataSource -> {
            HikariDataSource pool = hikari(dataSource);
            if (pool == null || !StatementBound.isMySqlFamily(pool.getJdbcUrl())) {
                return;
            }
            try (Connection connection = dataSource.getConnection()) {
                SessionSqlMode.verify(connection);
                DriverSettings.verify(connection);
                SessionIsolation.verify(connection);
                DatabasePacketLimit.verify(connection);
                SessionDefaults.verify(connection);
                ConnectionLimits.verify(connection, pool.getMaximumPoolSize());
            } catch (SQLException e) {
                // The database is down: its outage handling answers E0401 until it is back; the mode is the pool's.
                log.warn(
                        "could not read a pooled session's sql_mode, character set, isolation level and packet limit at"
                                + " start: {}",
                        e.toString());
            }
        });
    }

    /**
     * Flyway's own connection (spring.flyway.url) runs the migrations in the pool's sql_mode and with its pinned session
     * settings too (a {@code sql_select_limit} would cut its read of the history table), and with no statement time
     * bound on MariaDB (a server's global {@code max_statement_time} cut a long migration), unless told else.
     */
    @Bean
    public FlywayConfigurationCustomizer flywaySessionSqlMode() {
        return flyway -> {
            if (flyway.getInitSql() == null || flyway.getInitSql().isBlank()) {
                flyway.initSql(SessionSqlMode.FLYWAY_INIT_SQL + ", " + SessionDefaults.ASSIGNMENTS
                        + SessionDefaults.FLYWAY_UNBOUNDED);
            }
        };
    }

    /** The Hikari pool behind a data source (the breaker's wrapper unwrapped), null when there is none. */
    static HikariDataSource hikari(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource pool) {
            return pool;
        }
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
