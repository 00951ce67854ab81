package com.groupbuy.market.infrastructure.tx;

import javax.sql.DataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactions opened with {@code START TRANSACTION} on the pool's auto-commit connections ({@link
 * StartTransactionManager}, #19): one round trip less per transaction than Spring's {@code SET autocommit=0 / 1}. For
 * callbacks that let every error out (see the manager: a caller that catches a database error inside and goes on is
 * not one of them). Not a {@code TransactionOperations} bean, so the application's own transaction manager and
 * template (Spring Boot's, which back off when another of their type exists) stay as they are for everything else.
 */
@Component
public class StartTransactions {

    private final StartTransactionManager manager;
    private final TransactionTemplate template;

    public StartTransactions(DataSource dataSource) {
        this.manager = new StartTransactionManager(dataSource);
        this.template = new TransactionTemplate(manager);
    }

    /** Runs the callback in a transaction (joining the caller's if one is open); rolled back if it throws. */
    public <T> T execute(TransactionCallback<T> callback) {
        return template.execute(callback);
    }

    public StartTransactionManager manager() {
        return manager;
    }
}
