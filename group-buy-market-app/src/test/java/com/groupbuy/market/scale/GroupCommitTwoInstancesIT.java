package com.groupbuy.market.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitOn;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The oversell race of {@link TwoInstancesIT} with group commit of locks on in both instances (#19): each instance
 * writes its concurrent locks in shared transactions, the two instances' batches meet on the same team rows, and no
 * team passes its target; Redis equals the database. New teams opened in the same burst share the batches.
 */
@IntegrationTest
@LockGroupCommitOn
class GroupCommitTwoInstancesIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19700);

    private static SecondInstance second;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    @Test
    void aThousandLocksOnFiftyTeamsOverTwoGroupCommittingInstancesNeverOversell() throws Exception {
        second = SecondInstance.like(
                environment, "gbm.lock.group-commit.enabled=true", "gbm.lock.group-commit.max-wait=2ms");
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient onA = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
        TradeClient onB = new TradeClient(second.port(), activityId, "g" + activityId, "http://127.0.0.1:1/cb");
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            teams.add((i % 2 == 0 ? onA : onB).team("lead" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> joins = new ArrayList<>();
        List<Future<String>> opens = new ArrayList<>();
        for (int i = 0; i < 950; i++) {
            String user = "joiner" + i;
            String teamId = teams.get(i % 50);
            TradeClient via = (i / 50) % 2 == 0 ? onA : onB;
            joins.add(pool.submit(() -> {
                start.await();
                return via.lock(user, teamId).path("code").asText();
            }));
        }
        for (int i = 0; i < 50; i++) {
            String user = "opener" + i;
            TradeClient via = i % 2 == 0 ? onA : onB;
            opens.add(pool.submit(() -> {
                start.await();
                JsonNode answer = via.lock(user, "");
                return answer.path("code").asText();
            }));
        }
        start.countDown();
        Map<String, Long> codes = new ConcurrentHashMap<>();
        for (Future<String> join : joins) {
            codes.merge(join.get(120, TimeUnit.SECONDS), 1L, Long::sum);
        }
        for (Future<String> open : opens) {
            assertThat(open.get(120, TimeUnit.SECONDS)).isEqualTo("0000");
        }
        pool.shutdown();

        assertThat(codes.get("0000"))
                .as("two free places in each of 50 teams: " + codes)
                .isEqualTo(100L);
        assertThat(codes.keySet())
                .allMatch(c -> List.of("0000", "E0005", "E0006", "E0008").contains(c));
        for (String teamId : teams) {
            int lockCount = jdbc.queryForObject(
                    "SELECT lock_count FROM group_buy_order WHERE team_id = ?", Integer.class, teamId);
            int orders = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId);
            assertThat(lockCount).as("team " + teamId).isEqualTo(3);
            assertThat(orders).as("orders of team " + teamId).isEqualTo(3);
            assertThat(reservation.placesOf(teamId))
                    .as("Redis places of team " + teamId)
                    .isEqualTo(3);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = ?", Integer.class, activityId))
                .isEqualTo(100);
        DistributionSummary batchesOfA =
                meters.get("gbm.lock.group.commit.batch").summary();
        DistributionSummary batchesOfB = second.bean(MeterRegistry.class)
                .get("gbm.lock.group.commit.batch")
                .summary();
        assertThat(batchesOfA.totalAmount()).isGreaterThan(batchesOfA.count());
        assertThat(batchesOfB.totalAmount()).isGreaterThan(batchesOfB.count());
    }
}
