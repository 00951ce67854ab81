package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.PrivateMariaDb;
import org.junit.jupiter.api.Test;

/**
 * A start whose schema migration cannot be written (the database's tables on a full disk: Flyway's history table
 * refused, errno 28) says so and what to do, instead of 58 stack frames under "Error creating bean with name
 * 'echoTestController'" (main: the cause was there, in Flyway's message, inside the stack).
 */
class DatabaseDiskFullStartIT {

    private static final String DATABASE = "gbm_diskfull";

    @Test
    void aStartOnAFullDiskNamesTheDisk() throws Exception {
        PrivateMariaDb server = PrivateMariaDb.startOnOwnDisk(DATABASE, "4m");
        String log;
        try {
            server.fillDisk();
            log = AppProcess.refusedStart("diskfull", server.serviceArguments());
        } finally {
            server.destroy();
        }
        System.out.println("start on a full disk:\n" + log.substring(Math.max(0, log.length() - 3000)));
        assertThat(log)
                .contains("the database has no disk space for the service's writes at start: Error writing file")
                .contains("No space left on device")
                .contains("Free space on the database server's volume");
        assertThat(log.lines().filter(line -> line.startsWith("\tat ")).count())
                .as("stack frames logged")
                .isZero();
    }
}
