package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server defaults every session sets itself (after the operator's session variables, before the mode), what a
 * start reads back, and the binary log formats a start refuses.
 */
class SessionDefaultsTest {

    private static final String UNLIMITED = SessionDefaults.UNLIMITED;

    private static final String PINS = "sql_select_limit=18446744073709551615,max_join_size=18446744073709551615,"
            + "sql_big_selects=1,sql_safe_updates=0,completion_type=0";

    @Test
    void thePinsFollowTheOperatorsSessionVariables() {
        assertThat(SessionDefaults.ASSIGNMENTS).isEqualTo(PINS);
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:mysql://h/db?sessionVariables=max_statement_time%3D10");
            SessionDefaults.apply(pool);
            assertThat(pool.getDataSourceProperties())
                    .containsOnlyKeys("sessionVariables")
                    .containsEntry("sessionVariables", "max_statement_time=10," + PINS);
        }
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:mysql://h/db");
            pool.addDataSourceProperty("sessionVariables", "max_statement_time=10,@@session.sql_select_limit=100");
            SessionDefaults.apply(pool);
            assertThat(pool.getDataSourceProperties().getProperty("sessionVariables"))
                    .as("an operator's own limit, overridden by the later entry")
                    .isEqualTo("max_statement_time=10,@@session.sql_select_limit=100," + PINS);
        }
    }

    @Test
    void aPoolOfAnotherDatabaseIsLeftAlone() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:x");
            SessionDefaults.apply(pool);
            assertThat(pool.getDataSourceProperties()).isEmpty();
        }
    }

    @Test
    void aSessionWithThePinnedValuesPassesInEitherServersSpelling() {
        assertThatCode(() -> SessionDefaults.verifyPinned(session(UNLIMITED, "1", "0", "NO_CHAIN")))
                .doesNotThrowAnyException();
        assertThatCode(() -> SessionDefaults.verifyPinned(session(UNLIMITED, "ON", "OFF", "0")))
                .doesNotThrowAnyException();
    }

    @Test
    void aSessionWithOtherValuesIsRefusedNamingThem() {
        Map<String, String> session = session(UNLIMITED, "1", "1", "RELEASE");
        session.put("sql_select_limit", "1000");
        assertThatThrownBy(() -> SessionDefaults.verifyPinned(session))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: a pooled database session runs with sql_select_limit=1000,"
                        + " sql_safe_updates=1, completion_type=RELEASE, not " + PINS)
                .hasMessageContaining("connection-init-sql");
    }

    @Test
    void onlyABinaryLogInStatementFormatIsRefused() {
        for (String[] fine : new String[][] {
            {"1", "MIXED"}, {"ON", "ROW"}, {"0", "STATEMENT"}, {"OFF", "STATEMENT"}, {"1", "mixed"}, {"1", null}
        }) {
            assertThatCode(() -> SessionDefaults.verifyBinlog(fine[0], fine[1]))
                    .as(fine[0] + " " + fine[1])
                    .doesNotThrowAnyException();
        }
        for (String[] refused : new String[][] {{"1", "STATEMENT"}, {"ON", "statement"}}) {
            assertThatThrownBy(() -> SessionDefaults.verifyBinlog(refused[0], refused[1]))
                    .hasMessageStartingWith(
                            "refusing to start: the database's binary log is on with" + " binlog_format=STATEMENT")
                    .hasMessageContaining("set binlog_format=MIXED or ROW");
        }
    }

    @Test
    void onlyASessionThatStartsReadOnlyIsRefused() {
        for (String writable : new String[] {"OFF", "0", "off", "FALSE", null}) {
            assertThatCode(() -> SessionDefaults.verifyWritable(writable))
                    .as(writable)
                    .doesNotThrowAnyException();
        }
        for (String readOnly : new String[] {"ON", "1", "on ", "TRUE"}) {
            assertThatThrownBy(() -> SessionDefaults.verifyWritable(readOnly))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("refusing to start: a pooled database session is read-only (tx_read_only="
                            + readOnly + ", the server's transaction_read_only for every session)")
                    .hasMessageContaining("error 1792")
                    .hasMessageContaining(
                            "add tx_read_only=0 (MySQL 8: transaction_read_only=0) to" + " DB_SESSION_VARIABLES");
        }
    }

    private static Map<String, String> session(String limit, String bigSelects, String safeUpdates, String completion) {
        Map<String, String> session = new LinkedHashMap<>();
        session.put("sql_select_limit", limit);
        session.put("max_join_size", limit);
        session.put("sql_big_selects", bigSelects);
        session.put("sql_safe_updates", safeUpdates);
        session.put("completion_type", completion);
        return session;
    }

    @Test
    void idleInTransactionGuardsShorterThanARedisCallAreNamed() {
        Map<String, String> idle = new LinkedHashMap<>();
        idle.put("idle_readonly_transaction_timeout", "0");
        idle.put("idle_transaction_timeout", "1");
        idle.put("idle_write_transaction_timeout", "3600");
        assertThat(SessionDefaults.idleTimeoutsTooShort(idle)).isEqualTo("idle_transaction_timeout=1 s");
        idle.put("idle_transaction_timeout", "0");
        assertThat(SessionDefaults.idleTimeoutsTooShort(idle)).isNull();
        assertThat(SessionDefaults.idleTimeoutsTooShort(Map.of())).isNull(); // MySQL: no such variables
    }
}
