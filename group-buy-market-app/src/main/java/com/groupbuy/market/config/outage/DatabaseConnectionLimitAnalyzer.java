package com.groupbuy.market.config.outage;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start the database refused a connection at its connection limit ({@link ConnectionLimits#metBy}): the report
 * names the refusal and the limit, and what to size, in place of the failed bean's stack, which named whichever bean
 * first needed the database (Flyway's, under a controller's: "Error creating bean with name 'echoTestController'").
 */
public class DatabaseConnectionLimitAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        String limit = ConnectionLimits.metBy(failure);
        if (limit == null) {
            return null;
        }
        return new FailureAnalysis(
                "the database refused the service a connection at start: " + limit,
                "Free the server's connections or raise the limit: the server must allow every instance's pool"
                        + " (instances × spring.datasource.hikari.maximum-pool-size, DB_POOL_SIZE), Flyway's connection"
                        + " at a start, and the operators' tools (docs/operations.md, \"Outages of Redis or"
                        + " the database\").",
                failure);
    }
}
