package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.HeldConnections;
import com.groupbuy.market.support.PrivateMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The database server's connection limits at a start, on a private mariadbd:
 * <ul>
 *   <li>a start that gets no connection (every one the server allows taken, 1040) says so, the limit and what to do,
 *       instead of a stack of wrappers;
 *   <li>a pool that may open more connections than the account may hold ({@code maximum-pool-size} above the
 *       account's {@code MAX_USER_CONNECTIONS}) is warned of, naming both numbers: other instances share the server,
 *       so it is not refused.
 * </ul>
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseConnectionLimitsStartIT {

    private static final String DATABASE = "gbm_limits";
    private static final String ACCOUNT = "'" + PrivateMariaDb.USER + "'@'127.0.0.1'";
    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PrivateMariaDb.start(DATABASE, "--max-connections=20");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void aStartThatGetsNoConnectionSaysWhy() throws Exception {
        String log;
        try (HeldConnections held = HeldConnections.untilRefused(server, 40)) {
            assertThat(held.refusal().getErrorCode()).isEqualTo(1040);
            log = AppProcess.refusedStart("limits", server.serviceArguments());
        }
        System.out.println("start at the limit:\n" + log.substring(Math.max(0, log.length() - 3000)));
        assertThat(log)
                .contains("the database refused the service a connection at start: Too many connections (error 1040:"
                        + " the server's max_connections reached)")
                .contains("instances × spring.datasource.hikari.maximum-pool-size");
        assertThat(log.lines().filter(line -> line.startsWith("\tat ")).count())
                .as("stack frames logged")
                .isZero();
    }

    @Test
    void aPoolLargerThanTheAccountsLimitIsWarnedOf(CapturedOutput output) {
        server.admin("ALTER USER " + ACCOUNT + " WITH MAX_USER_CONNECTIONS 8");
        try {
            SessionDefaultsIT.pool(server, "spring.datasource.hikari.maximum-pool-size=12")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(output.getOut())
                                .contains("spring.datasource.hikari.maximum-pool-size=12 is above the"
                                        + " max_user_connections=8 the database allows the service's account");
                    });
        } finally {
            server.admin("ALTER USER " + ACCOUNT + " WITH MAX_USER_CONNECTIONS 0");
        }
    }
}
