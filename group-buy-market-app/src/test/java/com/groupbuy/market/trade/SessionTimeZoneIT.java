package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.TradeClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A JDBC URL without {@code connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true} (prod's {@code DB_URL} is the
 * operator's to write) against a database server whose zone is not UTC, here UTC-5. The app binds and reads its own
 * times as UTC text whatever the session's zone, but the times the database stamps itself ({@code create_time},
 * {@code update_time}: {@code DEFAULT CURRENT_TIMESTAMP(3)}) are in the session's zone, and a lock's
 * {@code create_time} is its lock time for the unpaid timeout. On main a lock taken a moment ago was stamped five hours
 * in the past, and the timeout job (unpaid timeout 5 minutes) closed it at once: the buyer's payment a minute later was
 * refused {@code E0208}. The app now sets every connection's session to UTC itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = SessionTimeZoneIT.ServerInUtcMinusFive.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=5m",
            // The pool's session variables (DB_SESSION_VARIABLES) plus a zone: a server whose time_zone is UTC-5.
            "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,time_zone='-05:00'"
        })
class SessionTimeZoneIT {

    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(61_000);

    /**
     * The class's own database (as every integration test has), reached through a URL that leaves the session in the
     * server's zone (the session variables above play a server whose {@code time_zone} is UTC-5).
     */
    static class ServerInUtcMinusFive implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            IsolatedDatabaseInitializer.empty().initialize(context);
            String database = context.getEnvironment().getRequiredProperty("gbm.test.database");
            TestPropertyValues.of("spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                            + "?useSSL=false&allowPublicKeyRetrieval=true")
                    .applyTo(context);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TradeTimeoutService timeoutService;

    @Test
    void aLockJustTakenIsNotClosedAsUnpaidAndItsPaymentSettles() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        mall.team("alice");

        TimeoutRunSummary run = timeoutService.execTimeoutCloseJob();
        JsonNode payment = mall.settle("alice");

        assertThat(run.closedUnpaid()).as("locks the timeout job closed").isZero();
        assertThat(payment.path("code").asText()).isEqualTo("0000");
        assertThat(orderStatus(activityId, "alice")).as("alice's order: paid").isEqualTo(1);
    }

    @Test
    void theTimesTheDatabaseStampsAreUtc() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId, RECEIVER);
        mall.team("bob");

        // UTC_TIMESTAMP does not depend on the session's zone; the lock was stamped a moment ago.
        Long secondsAgo = jdbc.queryForObject(
                "SELECT TIMESTAMPDIFF(SECOND, create_time, UTC_TIMESTAMP(3)) FROM group_buy_order_list "
                        + "WHERE activity_id = ? AND user_id = 'bob'",
                Long.class,
                activityId);
        assertThat(secondsAgo)
                .as("seconds between bob's create_time and now, UTC")
                .isBetween(-5L, 300L);
        assertThat(jdbc.queryForObject("SELECT @@session.time_zone", String.class))
                .isIn("+00:00", "UTC");
    }

    private int orderStatus(long activityId, String userId) {
        return jdbc.queryForObject(
                "SELECT status FROM group_buy_order_list WHERE activity_id = ? AND user_id = ?",
                Integer.class,
                activityId,
                userId);
    }
}
