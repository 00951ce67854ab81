package com.groupbuy.market.config.outage;

import javax.sql.DataSource;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.transaction.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.SQLErrorCodesFactory;

/** The database's transaction manager, apart from {@link OutageConfig}, which also runs without a database. */
@Slf4j
@Configuration
public class DatabaseTransactionConfig {

    /**
     * Spring Boot's own (a {@code JdbcTransactionManager}, {@code spring.transaction.*} applied), which stands back for
     * this bean, with a rollback on a closed connection that hides no outage ({@link CutConnectionTransactionManager}).
     */
    @Bean
    public CutConnectionTransactionManager transactionManager(
            DataSource dataSource, ObjectProvider<TransactionManagerCustomizers> customizers) {
        CutConnectionTransactionManager transactionManager = new CutConnectionTransactionManager(dataSource);
        customizers.ifAvailable(c -> c.customize(transactionManager));
        return transactionManager;
    }

    /**
     * The database's SQL error codes looked up once at start, before any request, for the data source every translation
     * of a failed statement names (MyBatis's, the transaction manager's, JdbcTemplate's; Spring caches them per data
     * source). Otherwise the first failure after a start paid for it: Spring's error-code table read and parsed, then a
     * connection borrowed to read the product name (the failed one is closed). A refund cut by its socket timeout, the
     * first failure of SocketTimeoutCutIT, was answered 2.9-3.4 s after a 2 s timeout where a lock was answered after
     * 2.2 s. And a lookup that fails (the database already gone) is not cached, so every translation during an outage
     * would try to borrow a connection again. A database down at start only leaves the lookup to the first failure.
     */
    @Bean
    public SmartInitializingSingleton sqlErrorCodesAtStart(DataSource dataSource) {
        return () -> {
            try {
                SQLErrorCodesFactory.getInstance().getErrorCodes(dataSource);
            } catch (RuntimeException e) {
                log.warn("SQL error codes not looked up at start ({}); the first failed statement will", e.toString());
            }
        };
    }
}
