package com.groupbuy.market.config.outage;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.transaction.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The database's transaction manager, apart from {@link OutageConfig}, which also runs without a database. */
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
}
