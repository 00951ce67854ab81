package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.HeldConnections;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.trigger.job.LocalNotifyScheduler;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The database server's connection limits met while the service runs, on a private mariadbd: the test holds every
 * connection the server would still give the service's account ({@link HeldConnections}), the pool holding none (its
 * {@code minimum-idle} 0, its connections retired), so a request's pool must open one and is refused: {@code
 * max_connections} (1040, "Too many connections"). A lock, a join, a settlement are 503 E0401 with Retry-After,
 * nothing written and no place held in Redis for it, the local notify run (every 300 ms, as {@link
 * PrivateDatabaseContext} sets it) counts an outage, and once the connections are given back everything is served
 * again.
 * <p>
 * It passed on main: the pool's timeout (Hikari's SQLTransientConnectionException) and then the database breaker carry
 * the refusal as an outage. An account's own {@code MAX_USER_CONNECTIONS} (1226) met so was answered alike when staged
 * (not kept: the same path); a start at a limit is DatabaseConnectionLimitsStartIT's.
 */
@PrivateDatabaseContext
@TestPropertySource(properties = "spring.datasource.hikari.minimum-idle=0")
class DatabaseConnectionLimitsIT {

    private static final PartnerReceiver PARTNER = PartnerReceiver.startOrFail();

    @Autowired
    PrivateMariaDb database;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation places;

    @Autowired
    LocalNotifyScheduler localNotify;

    @LocalServerPort
    int port;

    @AfterAll
    static void closePartner() {
        PARTNER.close();
    }

    @Test
    void aServerAtMaxConnectionsIsAnOutageUntilConnectionsAreFreed() throws Exception {
        database.admin("SET GLOBAL max_connections = 40");
        try {
            limitMet(32_610, 1040);
        } finally {
            database.admin("SET GLOBAL max_connections = 200");
        }
    }

    private void limitMet(long activity, int refusalCode) throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activity, PARTNER.url());
        String team = mall.team("a" + activity, "b" + activity);
        String paying = "a" + activity;
        List<HttpResponse<String>> answers = new ArrayList<>();
        boolean outage;
        try (HeldConnections held = holdTheRest()) {
            assertThat(held.refusal().getErrorCode())
                    .as(held.refusal().toString())
                    .isEqualTo(refusalCode);
            answers.add(mall.lockAnswer("c" + activity, team));
            answers.add(mall.lockAnswer("d" + activity, ""));
            answers.add(
                    TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(paying, TradeClient.now())));
            long waited = System.nanoTime();
            while (!localNotify.inOutage() && System.nanoTime() - waited < 3_000_000_000L) {
                Thread.sleep(50);
            }
            outage = localNotify.inOutage();
        }
        for (HttpResponse<String> answer : answers) {
            System.out.println("limit " + refusalCode + ": " + answer.statusCode() + " " + answer.body());
        }
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                    .isEqualTo("E0401");
        }
        assertThat(outage).as("the local notify run counted an outage").isTrue();
        // Read on a connection of the test's own: the service's database breaker may still be open.
        assertThat(places.placesOf(team))
                .as("places in Redis of the team joined at the limit")
                .isEqualTo(2);
        assertThat(direct("SELECT lock_count FROM group_buy_order WHERE team_id = '" + team + "'"))
                .isEqualTo(2);
        assertThat(direct("SELECT COUNT(*) FROM group_buy_order WHERE activity_id = " + activity))
                .isEqualTo(1);
        assertThat(direct("SELECT COUNT(*) FROM group_buy_order_list WHERE status = 1 AND user_id = '" + paying + "'"))
                .as("settled at the limit")
                .isZero();
        // Given back: served again once the database breaker's probe goes through (open for 2 s).
        long back = System.nanoTime();
        String code;
        do {
            code = TestJson.JSON
                    .readTree(mall.lockAnswer("c" + activity, team).body())
                    .path("code")
                    .asText();
            if (!code.equals("0000")) {
                Thread.sleep(100);
            }
        } while (!code.equals("0000") && System.nanoTime() - back < 10_000_000_000L);
        assertThat(code).isEqualTo("0000");
        assertThat(mall.settle(paying).path("code").asText()).isEqualTo("0000");
    }

    private int direct(String query) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(database.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every connection the server still gives the account, the pool's own retired and taken too. */
    private HeldConnections holdTheRest() throws Exception {
        HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        HeldConnections held = HeldConnections.untilRefused(database, 200);
        long deadline = System.nanoTime() + 10_000_000_000L;
        // The local notify run borrows one every 300 ms: retired when given back, its slot taken by the test.
        while (pool.getTotalConnections() > 0) {
            pool.softEvictConnections();
            Thread.sleep(20);
            held.takeTheRest(200);
            if (System.nanoTime() > deadline) {
                held.close();
                throw new IllegalStateException("the pool kept " + pool.getTotalConnections() + " connections");
            }
        }
        return held;
    }
}
