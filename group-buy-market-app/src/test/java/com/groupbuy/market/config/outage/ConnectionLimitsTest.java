package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

class ConnectionLimitsTest {

    @Test
    void aPoolAboveALimitIsNamedWithBothNumbers() {
        assertThat(ConnectionLimits.beyond(20, 8, 151))
                .isEqualTo("spring.datasource.hikari.maximum-pool-size=20 is above the max_user_connections=8 the"
                        + " database allows the service's account");
        assertThat(ConnectionLimits.beyond(20, 0, 10))
                .isEqualTo("spring.datasource.hikari.maximum-pool-size=20 is above the max_connections=10 the"
                        + " database server allows in all");
        assertThat(ConnectionLimits.beyond(20, 12, 10))
                .contains("max_user_connections=12 ")
                .contains(" and ");
    }

    @Test
    void aPoolWithinTheLimitsOrNoLimitIsNotWarnedOf() {
        assertThat(ConnectionLimits.beyond(20, 0, 0)).isNull();
        assertThat(ConnectionLimits.beyond(20, 20, 151)).isNull();
    }

    @Test
    void aRefusalAtALimitIsNamedUnderItsWrappersAndOtherFailuresAreNot() {
        Exception flyway = new BeanCreationException(
                "flywayInitializer",
                "Unable to obtain connection from database",
                new IllegalStateException(
                        new SQLNonTransientConnectionException("Too many connections", "08004", 1040)));
        assertThat(ConnectionLimits.metBy(flyway))
                .isEqualTo("Too many connections (error 1040: the server's max_connections reached)");
        assertThat(ConnectionLimits.metBy(new SQLSyntaxErrorException("User gbm has exceeded", "42000", 1226)))
                .endsWith("(error 1226: the account's own MAX_USER_CONNECTIONS reached)");
        assertThat(ConnectionLimits.metBy(new SQLSyntaxErrorException("User gbm already has more", "42000", 1203)))
                .contains("error 1203");
        assertThat(ConnectionLimits.metBy(new SQLSyntaxErrorException("Access denied", "28000", 1045)))
                .isNull();
        assertThat(new DatabaseConnectionLimitAnalyzer().analyze(new IllegalStateException("other")))
                .isNull();
    }
}
