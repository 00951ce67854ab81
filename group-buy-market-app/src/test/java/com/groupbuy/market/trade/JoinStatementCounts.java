package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TradeClient;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Statements per join, counted by MariaDB itself (#19, branch joinlookup): each pooled connection's own {@code SHOW
 * SESSION STATUS} ({@code Com_select}, {@code Questions}) summed over the whole pool before and after N sequential and
 * N concurrent joins (new buyers joining open teams). Session counters, not global ones: other work on the shared
 * server does not count, and the test profile runs no background job. Reading the counters borrows every pooled
 * connection (the pool filled to its maximum first, so no connection is opened, with its own set-up statements, during
 * a phase); what a reading itself adds is measured on an empty phase and taken off. Prints one line per phase
 * ({@code JOIN STATEMENTS ...}); subclasses run it with the lookups read together on and off.
 */
abstract class JoinStatementCounts {

    static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";
    static final int TEAMS = 64;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    abstract long activityId();

    abstract String flag();

    /** What the counts must show: concurrent joins sharing statements, or not. */
    abstract void check(double sequentialSelectsPerJoin, double concurrentSelectsPerJoin, long sharedKeys);

    @Test
    void statementsPerJoinSequentialAndConcurrent() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, activityId(), RECEIVER);
        counters(); // fills the pool
        long[] overhead = delta(counters(), counters());

        String[] teams = openTeams(mall, "seq");
        Map<Long, long[]> before = counters();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < TEAMS; i++) {
                assertJoined(mall.lock("seq-j" + round + "-" + i, teams[i]));
            }
        }
        long[] sequential = minus(delta(before, counters()), overhead);

        String[] raced = openTeams(mall, "con");
        long sharedKeysBefore = sharedKeys();
        before = counters();
        for (int round = 0; round < 2; round++) {
            int r = round;
            for (JsonNode answer : Race.run(TEAMS, i -> mall.lock("con-j" + r + "-" + i, raced[i]))) {
                assertJoined(answer);
            }
        }
        long[] concurrent = minus(delta(before, counters()), overhead);
        long sharedKeys = sharedKeys() - sharedKeysBefore;

        int joins = 2 * TEAMS;
        System.out.printf(
                "JOIN STATEMENTS %s sequential: %d joins, Com_select %d (%.2f a join), Questions %d (%.2f a join)%n",
                flag(),
                joins,
                sequential[0],
                (double) sequential[0] / joins,
                sequential[1],
                (double) sequential[1] / joins);
        System.out.printf(
                "JOIN STATEMENTS %s concurrent (%d at once): %d joins, Com_select %d (%.2f a join), Questions %d (%.2f a"
                        + " join); keys read beside another in a lookup batch: %d; a reading's own: %d / %d%n",
                flag(),
                TEAMS,
                joins,
                concurrent[0],
                (double) concurrent[0] / joins,
                concurrent[1],
                (double) concurrent[1] / joins,
                sharedKeys,
                overhead[0],
                overhead[1]);
        assertThat(sequential[0]).as("selects of the sequential joins").isPositive();
        check((double) sequential[0] / joins, (double) concurrent[0] / joins, sharedKeys);
    }

    private static String[] openTeams(TradeClient mall, String prefix) throws Exception {
        String[] teams = new String[TEAMS];
        for (int i = 0; i < TEAMS; i++) {
            JsonNode answer = mall.lock(prefix + "-o-" + i, "");
            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
            teams[i] = answer.path("data").path("teamId").asText();
        }
        return teams;
    }

    private static void assertJoined(JsonNode answer) {
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
    }

    /** Keys the lookup group has read beside another key of their batch so far: keys less batches (0 without it). */
    private long sharedKeys() {
        var summary =
                Search.in(meters).name("gbm.lock-lookup.group.commit.batch").summary();
        if (summary == null) {
            return 0;
        }
        return summary.count() == 0 ? 0 : (long) (summary.totalAmount() - summary.count());
    }

    /** Each pooled connection's Com_select and Questions, by connection id; every connection borrowed at once. */
    private Map<Long, long[]> counters() throws SQLException {
        HikariDataSource pool = jdbc.getDataSource().unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        Map<Long, long[]> byConnection = new HashMap<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            for (Connection connection : held) {
                long[] values = new long[2];
                long id;
                try (Statement statement = connection.createStatement()) {
                    try (ResultSet rows = statement.executeQuery(
                            "SHOW SESSION STATUS WHERE Variable_name IN ('Com_select', 'Questions')")) {
                        while (rows.next()) {
                            values["Com_select".equalsIgnoreCase(rows.getString(1)) ? 0 : 1] = rows.getLong(2);
                        }
                    }
                    try (ResultSet rows = statement.executeQuery("SELECT CONNECTION_ID()")) {
                        rows.next();
                        id = rows.getLong(1);
                    }
                }
                byConnection.put(id, values);
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        return byConnection;
    }

    private static long[] delta(Map<Long, long[]> before, Map<Long, long[]> after) {
        assertThat(after.keySet())
                .as("the same pooled connections before and after")
                .isEqualTo(before.keySet());
        long[] sum = new long[2];
        after.forEach((id, values) -> {
            sum[0] += values[0] - before.get(id)[0];
            sum[1] += values[1] - before.get(id)[1];
        });
        return sum;
    }

    private static long[] minus(long[] a, long[] b) {
        return new long[] {a[0] - b[0], a[1] - b[1]};
    }
}
