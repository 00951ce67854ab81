package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

/** Every profile's pool runs at REPEATABLE READ; an operator's other level of the pool's is overridden. */
class SessionIsolationTest {

    @Test
    void everyProfilesPoolPinsTheLevel() {
        for (String profile : new String[] {"default", "dev", "prod", "test"}) {
            StatementBoundTest.shipped(profile).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(HikariDataSource.class).getTransactionIsolation())
                        .as(profile)
                        .isEqualTo("TRANSACTION_REPEATABLE_READ");
            });
        }
    }

    @Test
    void anOperatorsLevelIsOverridden() {
        for (String theirs : new String[] {"TRANSACTION_READ_COMMITTED", "TRANSACTION_SERIALIZABLE", "1"}) {
            assertThat(pinned("jdbc:mysql://h/db", theirs)).as(theirs).isEqualTo("TRANSACTION_REPEATABLE_READ");
        }
    }

    @Test
    void aLevelInTheSessionVariablesIsDroppedAndTheOthersKept() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:mysql://h/db?sessionVariables=max_statement_time=10,tx_isolation='READ-COMMITTED'");
            pool.addDataSourceProperty(
                    "sessionVariables", "max_statement_time=10,@@session.transaction_isolation='SERIALIZABLE',x=1");
            SessionIsolation.apply(pool);
            assertThat(pool.getDataSourceProperties())
                    .containsOnlyKeys("sessionVariables")
                    .containsEntry("sessionVariables", "max_statement_time=10,x=1");
        }
    }

    @Test
    void aPoolOfAnotherDatabaseIsLeftAlone() {
        assertThat(pinned("jdbc:h2:mem:x", "TRANSACTION_READ_COMMITTED")).isEqualTo("TRANSACTION_READ_COMMITTED");
    }

    @Test
    void everySpellingOfRepeatableReadIsTheSame() {
        for (String level : new String[] {"REPEATABLE-READ", "repeatable read", "TRANSACTION_REPEATABLE_READ", "4"}) {
            assertThat(SessionIsolation.sameLevel(level)).as(level).isTrue();
        }
        for (String level : new String[] {"READ-COMMITTED", "SERIALIZABLE", "READ-UNCOMMITTED", "2", ""}) {
            assertThat(SessionIsolation.sameLevel(level)).as(level).isFalse();
        }
    }

    private static String pinned(String url, String level) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setTransactionIsolation(level);
            SessionIsolation.apply(pool);
            return pool.getTransactionIsolation();
        }
    }
}
