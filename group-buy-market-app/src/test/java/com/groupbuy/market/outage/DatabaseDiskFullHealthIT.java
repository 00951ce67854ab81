package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database's disk full ({@link PrivateMariaDb#fillDisk}, the members' table's free pages filled too): the server
 * answers, reads are served and {@code read_only} is off, yet every lock is refused (1114, 503 E0401). The {@code db}
 * health component says so without writing anything itself: OUT_OF_SERVICE while the refused write is not written
 * again, UP once it is.
 */
@PrivateDatabaseContext
class DatabaseDiskFullHealthIT {

    private static final long ACTIVITY = 32_900;

    @Autowired
    PrivateMariaDb database;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    /**
     * Health is 503 with {@code db} OUT_OF_SERVICE ({@code diskFull}, the refusal in its reason) on {@code
     * /actuator/health} and the load balancer's {@code /traffic} once a lock was refused for want of space, and stays
     * so while reads go on; once space is freed and the lock is written again, 200 UP. Failed on main: 200 UP
     * throughout, while every lock was E0401.
     */
    @Test
    void healthIsOutOfServiceWhileWritesAreRefusedForSpaceAndUpOnceTheRefusedWriteGoesThrough() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, "http://127.0.0.1:1/cb");
        assertThat(health()).as("before").startsWith("200 ");
        AtomicInteger user = new AtomicInteger();
        AtomicReference<HttpResponse<String>> lock = new AtomicReference<>();
        database.fillDisk();
        try {
            int filler = database.fillMembersTable();
            System.out.println("filler orders in the members' table's free pages: " + filler);
            TestJson.await(() -> lockOf(mall, "d" + user.incrementAndGet(), lock) == 503);
            assertThat(lock.get().body()).contains("E0401");
            for (String path : new String[] {"/actuator/health", "/actuator/health/traffic"}) {
                assertThat(TestJson.get(port, path))
                        .as(path + " while locks are refused for want of space")
                        .startsWith("503 ")
                        .contains("\"db\":{\"status\":\"OUT_OF_SERVICE\"")
                        .contains("\"diskFull\":true")
                        .contains("is full");
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order_list", Integer.class))
                    .as("reads are served")
                    .isPositive();
            assertThat(health()).as("a read does not clear it").startsWith("503 ");
        } finally {
            database.freeDisk();
        }
        TestJson.await(() -> lockOf(mall, "f" + user.incrementAndGet(), lock) == 200);
        assertThat(lock.get().body()).contains("\"0000\"");
        assertThat(health())
                .as("once the refused write went through")
                .startsWith("200 ")
                .contains("\"db\":{\"status\":\"UP\"");
    }

    /** A new team's lock by {@code userId}; its HTTP status (the answer kept in {@code answer}). */
    private static int lockOf(TradeClient mall, String userId, AtomicReference<HttpResponse<String>> answer) {
        try {
            answer.set(mall.lockAnswer(userId, ""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return answer.get().statusCode();
    }

    private String health() throws Exception {
        return TestJson.get(port, "/actuator/health");
    }
}
