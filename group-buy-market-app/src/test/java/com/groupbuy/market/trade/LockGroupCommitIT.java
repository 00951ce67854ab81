package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitCheck;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Group commit of locks (#19) where a batch meets trouble: a failed row never fails its neighbours and every caller
 * gets the answer it gets with group commit off. A 50 ms window puts each test's concurrent locks in one batch.
 * Failures are real: unique keys, the team guard, and a trigger that makes MariaDB refuse some member rows.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.lock.group-commit.enabled=true", "gbm.lock.group-commit.max-wait=50ms"})
@ExtendWith(LockGroupCommitCheck.class)
class LockGroupCommitIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19500);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamPlaceReservation reservation;

    private long activityId;
    private TradeClient mall;

    @BeforeEach
    void goods() {
        activityId = ACTIVITY.incrementAndGet();
        mall = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
    }

    @AfterEach
    void noTrigger() {
        jdbc.execute("DROP TRIGGER IF EXISTS refuse_doomed_orders");
    }

    @Test
    void aDuplicateOutTradeNoInABatchAnswersTheSameOrderAndItsNeighboursAreWritten() throws Exception {
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        locks.put("twin-1", () -> lock("twin", "", "twin-out"));
        locks.put("twin-2", () -> lock("twin", "", "twin-out"));
        for (int i = 0; i < 6; i++) {
            String user = "neighbour" + i;
            locks.put(user, () -> lock(user, ""));
        }

        Map<String, JsonNode> answers = Race.together(locks);

        answers.forEach((who, answer) ->
                assertThat(answer.path("code").asText()).as(who + " " + answer).isEqualTo("0000"));
        assertThat(answers.get("twin-1").path("data").path("orderId").asText())
                .isEqualTo(answers.get("twin-2").path("data").path("orderId").asText());
        assertThat(orders()).isEqualTo(7);
        assertThat(teams()).isEqualTo(7);
        for (JsonNode answer : answers.values()) {
            String teamId = answer.path("data").path("teamId").asText();
            assertThat(counts.lockCount(teamId)).isEqualTo(1);
            assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        }
        assertRedisCountersAreTheDatabaseTeams();
        assertBatchesHeldSeveralLocks();
    }

    @Test
    void aDuplicateTakeRollsItsBatchBackThenIsRefusedAloneWhileItsNeighboursAreWritten() throws Exception {
        String teamId = mall.team(user("first"));
        // A closed order that still carries the biz id of take 1 makes the next write of this user collide
        // (uq_biz_id): the batch's multi-row insert fails as a whole, then each lock is written alone.
        new MarketConfigFixture(jdbc).member(teamId, activityId, user("second"), "900000000001", "old-out", 2);
        jdbc.update(
                "UPDATE group_buy_order_list SET biz_id = ? WHERE order_id = '900000000001'",
                LockAggregates.bizId(activityId, "s01", "c01", user("second"), 1));
        double fallbacksBefore = fallbacks();
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        locks.put("second", () -> lock("second", teamId));
        locks.put("joiner", () -> lock("joiner", teamId));
        for (int i = 0; i < 4; i++) {
            String user = "opener" + i;
            locks.put(user, () -> lock(user, ""));
        }

        Map<String, JsonNode> answers = Race.together(locks);

        assertThat(answers.get("second").path("code").asText()).isEqualTo("E0103");
        answers.entrySet().stream()
                .filter(e -> !e.getKey().equals("second"))
                .forEach(e -> assertThat(e.getValue().path("code").asText())
                        .as(e.getKey() + " " + e.getValue())
                        .isEqualTo("0000"));
        assertThat(fallbacks()).isGreaterThan(fallbacksBefore);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(ordersOf("second")).isEqualTo(1); // the old closed one only
    }

    @Test
    void joinsThatFillATeamInOneBatchStopAtItsTarget() throws Exception {
        String teamId = mall.team(user("leader"));
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String user = "joiner" + i;
            locks.put(user, () -> lock(user, teamId));
        }
        for (int i = 0; i < 3; i++) {
            String user = "opener" + i;
            locks.put(user, () -> lock(user, ""));
        }

        Map<String, JsonNode> answers = Race.together(locks);

        long joined = answers.entrySet().stream()
                .filter(e -> e.getKey().startsWith("joiner"))
                .filter(e -> e.getValue().path("code").asText().equals("0000"))
                .count();
        assertThat(joined).isEqualTo(2);
        answers.entrySet().stream()
                .filter(e -> e.getKey().startsWith("joiner"))
                .map(e -> e.getValue().path("code").asText())
                .forEach(code -> assertThat(code).isIn("0000", "E0005", "E0006", "E0008"));
        answers.entrySet().stream()
                .filter(e -> e.getKey().startsWith("opener"))
                .forEach(e -> assertThat(e.getValue().path("code").asText()).isEqualTo("0000"));
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(3);
        assertBatchesHeldSeveralLocks();
    }

    @Test
    void aJoinTheDatabaseGuardRefusesInABatchIsE0005AloneWithoutRollingBackItsNeighbours() throws Exception {
        String teamId = mall.team(user("leader"));
        // The database one place ahead of Redis (as after a lost give-back): the filter still sees a free place and
        // Redis lets both joins through, the guarded takePlace admits one and refuses the other inside the batch, and
        // only that one is refused: no rollback, no fallback.
        jdbc.update("UPDATE group_buy_order SET lock_count = target_count - 1 WHERE team_id = ?", teamId);
        double fallbacksBefore = fallbacks();
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        locks.put("joiner0", () -> lock("joiner0", teamId));
        locks.put("joiner1", () -> lock("joiner1", teamId));
        for (int i = 0; i < 3; i++) {
            String user = "opener" + i;
            locks.put(user, () -> lock(user, ""));
        }

        Map<String, JsonNode> answers = Race.together(locks);

        assertThat(List.of(
                        answers.get("joiner0").path("code").asText(),
                        answers.get("joiner1").path("code").asText()))
                .containsExactlyInAnyOrder("0000", "E0005");
        for (int i = 0; i < 3; i++) {
            assertThat(answers.get("opener" + i).path("code").asText()).isEqualTo("0000");
        }
        assertThat(fallbacks()).isEqualTo(fallbacksBefore);
        assertThat(ordersOf("joiner0") + ordersOf("joiner1")).isEqualTo(1);
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2); // the refused join's place given back
    }

    @Test
    void aDatabaseFailureMidBatchGivesEveryPlaceBack() throws Exception {
        jdbc.update("UPDATE group_buy_activity SET target = 5 WHERE activity_id = ?", activityId);
        String teamId = mall.team(user("leader"));
        refuseOrdersOfUsersLike("doomed%");
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            String joiner = "doomed-joiner" + i;
            locks.put(joiner, () -> lockAnyStatus(joiner, teamId));
            String opener = "doomed-opener" + i;
            locks.put(opener, () -> lockAnyStatus(opener, ""));
        }

        Map<String, JsonNode> answers = Race.together(locks);

        answers.forEach((who, answer) ->
                assertThat(answer.path("code").asText()).as(who + " " + answer).isEqualTo("0001"));
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
        assertThat(teams()).isEqualTo(1);
        assertThat(orders()).isEqualTo(1);
        assertRedisCountersAreTheDatabaseTeams();
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndItsNeighboursAreWritten() throws Exception {
        jdbc.update("UPDATE group_buy_activity SET target = 5 WHERE activity_id = ?", activityId);
        String teamId = mall.team(user("leader"));
        refuseOrdersOfUsersLike("doomed%");
        Map<String, Callable<JsonNode>> locks = new HashMap<>();
        locks.put("doomed-joiner", () -> lockAnyStatus("doomed-joiner", teamId));
        locks.put("doomed-opener", () -> lockAnyStatus("doomed-opener", ""));
        locks.put("joiner", () -> lock("joiner", teamId));
        locks.put("opener0", () -> lock("opener0", ""));
        locks.put("opener1", () -> lock("opener1", ""));

        Map<String, JsonNode> answers = Race.together(locks);

        assertThat(answers.get("doomed-joiner").path("code").asText()).isEqualTo("0001");
        assertThat(answers.get("doomed-opener").path("code").asText()).isEqualTo("0001");
        for (String who : List.of("joiner", "opener0", "opener1")) {
            assertThat(answers.get(who).path("code").asText()).as(who).isEqualTo("0000");
        }
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        assertThat(teams()).isEqualTo(3);
        assertThat(orders()).isEqualTo(4);
        assertRedisCountersAreTheDatabaseTeams();
    }

    /** A user name of this test alone: a lock looks its order up by user and out trade number across activities. */
    private String user(String name) {
        return name + "-" + activityId;
    }

    /** A lock through the mall (HTTP 200 expected). */
    private JsonNode lock(String name, String teamId) throws Exception {
        return mall.lock(user(name), teamId);
    }

    private JsonNode lock(String name, String teamId, String outTradeNo) throws Exception {
        return mall.lock(user(name), teamId, outTradeNo + "-" + activityId);
    }

    /** A lock the database may fail: any HTTP status (a failure of the database itself is HTTP 500, code 0001). */
    private JsonNode lockAnyStatus(String name, String teamId) throws Exception {
        String userId = user(name);
        return TestJson.JSON.readTree(TestJson.post(
                        port,
                        "/api/v1/gbm/trade/lock_market_pay_order",
                        "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                                + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                                + "\"outTradeNo\":\"out-" + userId + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}")
                .body());
    }

    /** MariaDB refuses the member row of these users: a failure of the database itself, not of a key. */
    private void refuseOrdersOfUsersLike(String pattern) {
        jdbc.execute("CREATE TRIGGER refuse_doomed_orders BEFORE INSERT ON group_buy_order_list FOR EACH ROW "
                + "IF NEW.user_id LIKE '" + pattern + "' THEN "
                + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF");
    }

    /**
     * Every place counter in Redis belongs to a team row of this class's database, and the other way round: a new
     * team whose write failed had its counter discarded, whichever way (batch or alone) it failed.
     */
    private void assertRedisCountersAreTheDatabaseTeams() {
        Set<String> inDatabase = new HashSet<>();
        for (String teamId : jdbc.queryForList("SELECT team_id FROM group_buy_order", String.class)) {
            inDatabase.add(reservation.key(teamId));
        }
        Set<String> inRedis = new HashSet<>();
        redisson.getKeys().getKeysStreamByPattern(reservation.key("*")).forEach(inRedis::add);
        assertThat(inRedis).isEqualTo(inDatabase);
    }

    private void assertBatchesHeldSeveralLocks() {
        var batches = meters.get("gbm.lock.group.commit.batch").summary();
        assertThat(batches.totalAmount())
                .as("locks written in %d batches: some batch held more than one", batches.count())
                .isGreaterThan(batches.count());
    }

    private double fallbacks() {
        return meters.get("gbm.lock.group.commit.fallbacks").counter().count();
    }

    private int teams() {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = ?", Integer.class, activityId);
    }

    private int orders() {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ?", Integer.class, activityId);
    }

    private int ordersOf(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE activity_id = ? AND user_id = ?",
                Integer.class,
                activityId,
                user(userId));
    }
}
