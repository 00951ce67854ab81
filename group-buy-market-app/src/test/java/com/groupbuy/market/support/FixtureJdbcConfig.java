package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The tests' JdbcTemplate (fixtures and checks) on the app's own pool, committing each statement. With
 * {@code spring.datasource.hikari.auto-commit=false} (application.yml) the pool hands out connections in manual-commit
 * mode, where a plain
 * JdbcTemplate write outside a Spring transaction would be rolled back when its connection goes back to the pool;
 * Hikari switches the connection back to manual commit on its return. Main code never uses a JdbcTemplate.
 */
@Configuration(proxyBeanMethods = false)
public class FixtureJdbcConfig {

    @Bean
    public JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(new AutoCommitting(dataSource));
    }

    private static final class AutoCommitting extends DelegatingDataSource {

        AutoCommitting(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        }
    }
}
