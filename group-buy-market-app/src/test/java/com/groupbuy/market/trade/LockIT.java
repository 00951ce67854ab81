package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.Race;
import com.groupbuy.market.support.TestJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Lock over real HTTP, MariaDB and Redis: a team never exceeds its target, retries are idempotent. */
@IntegrationTest
class LockIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final String RECEIVER = "http://127.0.0.1:1/api/v1/test/group_buy_notify";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    DataSource dataSource;

    private static final AtomicInteger ACTIVITY = new AtomicInteger(3000);
    private long activityId;
    private String goodsId;

    @BeforeEach
    void activity() {
        activityId = ACTIVITY.incrementAndGet();
        goodsId = "g" + activityId;
        new MarketConfigFixture(jdbc).goods(goodsId, activityId, "ZJ", "20", "100.00");
    }

    @Test
    void opensATeamThenJoinsItWithTheContractFields() throws Exception {
        JsonNode opened = lock("alice", "", "out-a-1");
        String teamId = opened.path("data").path("teamId").asText();
        JsonNode joined = lock("bob", teamId, "out-b-1");

        assertThat(opened.path("code").asText()).isEqualTo("0000");
        assertThat(fields(opened.path("data")))
                .containsExactlyInAnyOrder(
                        "orderId", "teamId", "originalPrice", "deductionPrice", "payPrice", "tradeOrderStatus");
        assertThat(opened.path("data").path("orderId").asText()).matches("\\d{12}");
        assertThat(teamId).matches("\\d{8}");
        assertThat(opened.path("data").path("payPrice").decimalValue()).isEqualByComparingTo("80.00");
        assertThat(opened.path("data").path("deductionPrice").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(opened.path("data").path("tradeOrderStatus").asInt()).isZero();
        assertThat(joined.path("code").asText()).isEqualTo("0000");
        assertThat(joined.path("data").path("teamId").asText()).isEqualTo(teamId);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
    }

    @Test
    void fullTeamRefusesTheNextJoinAndWritesNothing() throws Exception {
        String teamId = lock("u1", "", "o1").path("data").path("teamId").asText();
        lock("u2", teamId, "o2");
        lock("u3", teamId, "o3");

        JsonNode refused = lock("u4", teamId, "o4");

        assertThat(refused.path("code").asText()).isEqualTo("E0006");
        assertThat(orderRows("u4")).isZero();
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    @Test
    void aJoinThatFindsTheTeamFullOnlyInItsGuardedWriteIsE0005AndGivesItsPlaceBack() throws Exception {
        // Users of this test's own: a partner's order is found by user and out trade number in every activity.
        String teamId =
                lock("full-host", "", "full-host-1").path("data").path("teamId").asText();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // Another writer fills the team and holds the row uncommitted: the join's checks (the team as committed, the
        // Redis place) still see a free place, so its guarded takePlace is what waits for that writer, then finds the
        // team full. Deterministic: the other writer commits only once the join's update is seen waiting.
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement fill =
                    other.prepareStatement("UPDATE group_buy_order SET lock_count = target_count WHERE team_id = ?")) {
                fill.setString(1, teamId);
                assertThat(fill.executeUpdate()).isEqualTo(1);
            }
            Future<JsonNode> join = pool.submit(() -> lock("full-late", teamId, "full-late-1"));
            TestJson.await(() -> takePlaceWaiting() == 1);
            other.commit();

            JsonNode refused = join.get(30, TimeUnit.SECONDS);

            assertThat(refused.path("code").asText()).as(refused.toString()).isEqualTo("E0005");
        } finally {
            pool.shutdownNow();
        }
        assertThat(orderRows("full-late")).isZero();
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId))
                .as("the refused join's place given back")
                .isEqualTo(1);
    }

    @Test
    void hundredThreadsRacingForTheLastPlacesGetExactlyTheTarget() throws Exception {
        String teamId =
                lock("leader", "", "o-leader").path("data").path("teamId").asText();

        List<JsonNode> answers = race(100, i -> lock("racer" + i, teamId, "o-racer" + i));

        long won = answers.stream()
                .filter(a -> a.path("code").asText().equals("0000"))
                .count();
        assertThat(won).isEqualTo(2);
        assertThat(answers.stream().map(a -> a.path("code").asText()).filter(c -> !c.equals("0000")))
                .allMatch(c -> Set.of("E0005", "E0006", "E0008").contains(c));
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId))
                .isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    @Test
    void fiftyDuplicatesOfOneOutTradeNoMakeOneOrder() throws Exception {
        List<JsonNode> answers = race(50, i -> lock("dup-user", "", "dup-out-1"));

        Set<String> orderIds = ConcurrentHashMap.newKeySet();
        answers.forEach(a -> {
            assertThat(a.path("code").asText()).isEqualTo("0000");
            orderIds.add(a.path("data").path("orderId").asText());
        });
        assertThat(orderIds).hasSize(1);
        assertThat(orderRows("dup-user")).isEqualTo(1);
        String teamId = answers.get(0).path("data").path("teamId").asText();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id = ?", Integer.class, activityId))
                .isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    /**
     * Design §7 (no unique key on out_trade_no): with a take limit of one, the biz id's unique key alone turns racing
     * duplicates into one order (the test above). Where the buyer may take several, only uq_partner_user_out_trade_no
     * does: with it dropped, duplicates that met a held take went on to the next take and wrote orders of their own.
     */
    @Test
    void duplicatesOfOneOutTradeNoMakeOneOrderWhereTheTakeLimitAllowsMore() throws Exception {
        jdbc.update("UPDATE group_buy_activity SET take_limit_count = 50 WHERE activity_id = ?", activityId);

        List<JsonNode> answers = race(30, i -> lock("dup-many", "", "dup-many-1"));

        assertThat(answers).extracting(a -> a.path("code").asText()).containsOnly("0000");
        assertThat(answers.stream()
                        .map(a -> a.path("data").path("orderId").asText())
                        .distinct())
                .hasSize(1);
        assertThat(orderRows("dup-many")).isEqualTo(1);
    }

    @Test
    void takeLimitHoldsUnderConcurrency() throws Exception {
        List<JsonNode> answers = race(20, i -> lock("greedy", "", "greedy-out-" + i));

        assertThat(answers.stream()
                        .filter(a -> a.path("code").asText().equals("0000"))
                        .count())
                .isEqualTo(1);
        assertThat(answers.stream().map(a -> a.path("code").asText()).filter(c -> !c.equals("0000")))
                .allMatch(c -> c.equals("E0103"));
        assertThat(orderRows("greedy")).isEqualTo(1);
    }

    @Test
    void expiredTeamIsRefused() throws Exception {
        new MarketConfigFixture(jdbc)
                .team("99000001", activityId, "old", 1, 0, 0, Instant.now().minus(1, ChronoUnit.MINUTES));

        JsonNode refused = lock("late", "99000001", "late-1");

        assertThat(refused.path("code").asText()).isEqualTo("E0206");
        assertThat(orderRows("late")).isZero();
    }

    @Test
    void teamOfAnotherActivityIsRefused() throws Exception {
        new MarketConfigFixture(jdbc)
                .team("99000002", 1, "other", 1, 0, 0, Instant.now().plus(5, ChronoUnit.MINUTES));

        assertThat(lock("x", "99000002", "x-1").path("code").asText()).isEqualTo("E0205");
    }

    @Test
    void legacyFlatNotifyUrlAndNullTeamIdAreAccepted() throws Exception {
        JsonNode answer = post("{\"userId\":\"legacy\",\"teamId\":null,\"activityId\":" + activityId + ",\"goodsId\":\""
                + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"legacy-1\",\"notifyUrl\":\""
                + RECEIVER + "\"}");

        assertThat(answer.path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject(
                        "SELECT notify_url FROM group_buy_order WHERE team_id = ?",
                        String.class,
                        answer.path("data").path("teamId").asText()))
                .isEqualTo(RECEIVER);
    }

    @Test
    void repeatedLockOfAPaidOrderHasItsOwnCode() throws Exception {
        lock("payer", "", "paid-1");
        jdbc.update("UPDATE group_buy_order_list SET status = 1 WHERE user_id = 'payer'");

        assertThat(lock("payer", "", "paid-1").path("code").asText()).isEqualTo("E0201");
    }

    @Test
    void badInputGetsItsCodeAndWritesNothingAndTakesNoPlace() throws Exception {
        String teamId = lock("host", "", "host-1").path("data").path("teamId").asText();
        String base = "\"userId\":\"bad\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\"";

        JsonNode noOutTradeNo = post("{" + base + ",\"notifyUrl\":\"" + RECEIVER + "\"}");
        JsonNode tooLong =
                post("{" + base + ",\"outTradeNo\":\"" + "9".repeat(33) + "\",\"notifyUrl\":\"" + RECEIVER + "\"}");
        JsonNode unknownType = post("{" + base
                + ",\"outTradeNo\":\"b1\",\"notifyConfigVO\":{\"notifyType\":\"KAFKA\",\"notifyMQ\":\"topic\"}}");
        JsonNode privateUrl = post("{" + base + ",\"outTradeNo\":\"b2\",\"notifyUrl\":\"http://10.0.0.8/cb\"}");
        JsonNode metadata = post(
                "{" + base
                        + ",\"outTradeNo\":\"b3\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"http://169.254.169.254/\"}}");
        JsonNode noActivity = post("{\"userId\":\"bad\",\"goodsId\":\"" + goodsId
                + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"b4\",\"notifyUrl\":\"" + RECEIVER
                + "\"}");

        assertThat(noOutTradeNo.path("code").asText()).isEqualTo("0002");
        assertThat(noOutTradeNo.path("info").asText()).contains("outTradeNo");
        assertThat(tooLong.path("code").asText()).isEqualTo("0002");
        assertThat(unknownType.path("code").asText()).isEqualTo("0002");
        assertThat(unknownType.path("info").asText()).contains("notifyType");
        assertThat(privateUrl.path("code").asText()).isEqualTo("E0204");
        assertThat(metadata.path("code").asText()).isEqualTo("E0204");
        assertThat(noActivity.path("code").asText()).isEqualTo("0002");
        assertThat(noActivity.path("info").asText()).contains("activityId");
        assertThat(orderRows("bad")).isZero();
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    @Test
    void placeIsGivenBackWhenTheDatabaseWriteFails() throws Exception {
        String teamId = lock("first", "", "first-1").path("data").path("teamId").asText();
        // A closed order that still carries the biz id of take 1 makes the next write of this user collide.
        new MarketConfigFixture(jdbc).member(teamId, activityId, "second", "900000000001", "old-out", 2);
        jdbc.update(
                "UPDATE group_buy_order_list SET biz_id = ? WHERE order_id = '900000000001'",
                LockAggregates.bizId(activityId, "s01", "c01", "second", 1));

        JsonNode refused = lock("second", teamId, "second-1");

        assertThat(refused.path("code").asText()).isEqualTo("E0103");
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1);
    }

    @Test
    void audienceRestrictionRefusesNonMembers() throws Exception {
        Instant now = Instant.now();
        new MarketConfigFixture(jdbc)
                .goods(
                        "gtag" + activityId,
                        activityId + 500,
                        "ZJ",
                        "20",
                        "100.00",
                        1,
                        now.minus(1, ChronoUnit.DAYS),
                        now.plus(1, ChronoUnit.DAYS),
                        "VIP",
                        "2",
                        0,
                        null);

        JsonNode refused = post("{\"userId\":\"outsider\",\"teamId\":\"\",\"activityId\":" + (activityId + 500)
                + ",\"goodsId\":\"gtag" + activityId
                + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"t-1\","
                + "\"notifyUrl\":\"" + RECEIVER + "\"}");

        assertThat(refused.path("code").asText()).isEqualTo("E0007");
        assertThat(orderRows("outsider")).isZero();
    }

    static List<JsonNode> race(int threads, Race.Call call) throws Exception {
        return Race.run(threads, call);
    }

    JsonNode lock(String userId, String teamId, String outTradeNo) throws Exception {
        return post("{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"" + goodsId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\""
                + outTradeNo
                + "\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"" + RECEIVER + "\"}}");
    }

    private JsonNode post(String json) throws Exception {
        return TestJson.postEnvelope(port, PATH, json);
    }

    /** Statements of this test's database running a team's guarded takePlace (waiting for its row), not this one. */
    private int takePlaceWaiting() {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
                        + " AND INFO LIKE '%SET lock_count = lock_count + 1%'",
                Integer.class);
    }

    int orderRows(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND activity_id = ?",
                Integer.class,
                userId,
                activityId);
    }
}
