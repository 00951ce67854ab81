package com.groupbuy.market.config.outage;

import com.groupbuy.market.types.exception.Causes;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start whose schema migration the database could not write for lack of disk space ({@link
 * DependencyOutageResolver#outOfSpace}: Flyway's first table refused, "Error writing file …flyway_schema_history.frm'
 * (Errcode: 28 "No space left on device")"): the report names the full disk and what to do, in place of the failed
 * bean's stack (58 frames under "Error creating bean with name 'echoTestController'", DatabaseDiskFullStartIT).
 */
public class DatabaseDiskFullAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof SQLException sql && DependencyOutageResolver.outOfSpace(sql)) {
                return new FailureAnalysis(
                        "the database has no disk space for the service's writes at start: " + sql.getMessage()
                                + " (error " + sql.getErrorCode() + ")",
                        "Free space on the database server's volume (its data folder, binary log and tmpdir) or grow"
                                + " it, then start again; if a migration had begun, see docs/operations.md, \"A"
                                + " migration that failed or a start killed halfway\" and \"The database's disk is"
                                + " full\".",
                        failure);
            }
        }
        return null;
    }
}
