package com.groupbuy.market.config.outage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Checks the pool's statement bound against its socket timeout ({@link StatementBound}) once the pool's settings are
 * bound and before any connection is made: a start with a bound the socket would cut first is refused, naming both.
 */
@Configuration(proxyBeanMethods = false)
public class StatementBoundConfig {

    @Bean
    public static BeanPostProcessor statementBoundCheck() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource dataSource) {
                    HikariDataSource pool = hikari(dataSource);
                    if (pool != null) {
                        StatementBound.check(pool.getDataSourceProperties(), pool.getJdbcUrl());
                    }
                }
                return bean;
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
