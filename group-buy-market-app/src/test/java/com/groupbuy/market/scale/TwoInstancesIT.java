package com.groupbuy.market.scale;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 19: two instances of the service on one MariaDB and one Redis, as a scaled-out deployment runs. Instance A is
 * this test's application context; instance B is a second JVM ({@link AppProcess}) on the same database and Redis
 * key prefix, with its own HTTP port and XXL-Job executor. Locks and settlements of the same teams are split across
 * both; the compensation job is a sharding broadcast over both executors, driven through their /run endpoints the
 * way the XXL-Job console does; and B is killed mid-run.
 */
@IntegrationTest
class TwoInstancesIT {

    private static final String TOKEN = "it-two-instances-token";
    private static final int EXECUTOR_A = AppProcess.freePort();
    /** Short leases so the kill test waits seconds, not a minute; a send window (1 s + 2 × 2 s) fits in it once. */
    private static final List<String> NOTIFY_TIMING =
            List.of("gbm.notify.lease=12s", "gbm.notify.connect-timeout=1s", "gbm.notify.read-timeout=2s");

    private static final AtomicInteger ACTIVITY = new AtomicInteger(19000);
    private static final AtomicLong LOG_ID = new AtomicLong(System.currentTimeMillis());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern RUN_LINE = Pattern.compile("shard=(\\d+)/(\\d+) claimed=(\\d+) delivered=(\\d+)");

    private static AppProcess second;

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", () -> EXECUTOR_A);
        registry.add("xxl.job.admin.accessToken", () -> TOKEN);
        registry.add("xxl.job.executor.logpath", () -> System.getProperty("java.io.tmpdir") + "/gbm-xxl-two-a");
        for (String setting : NOTIFY_TIMING) {
            String[] pair = setting.split("=", 2);
            registry.add(pair[0], () -> pair[1]);
        }
    }

    @AfterAll
    static void stopSecond() throws InterruptedException {
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

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    /** Instance B on this class's database and Redis prefix; started again when a test killed it. */
    @BeforeEach
    void secondInstance() throws Exception {
        if (second == null || !second.isAlive()) {
            if (second != null) {
                second.close();
            }
            List<String> arguments = new ArrayList<>(List.of(
                    "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                            + IsolatedDatabaseInitializer.PARAMS,
                    "--spring.datasource.hikari.maximum-pool-size=10",
                    "--gbm.redis.key-prefix=" + keyPrefix,
                    "--xxl.job.executor.enabled=true",
                    "--xxl.job.admin.accessToken=" + TOKEN,
                    "--xxl.job.executor.logpath=" + System.getProperty("java.io.tmpdir") + "/gbm-xxl-two-b"));
            NOTIFY_TIMING.forEach(setting -> arguments.add("--" + setting));
            second = AppProcess.start("instance-b", arguments);
        }
        jdbc.update("UPDATE notify_task SET notify_status = 1");
    }

    @Test
    void aThousandLocksOnFiftyTeamsSplitOverTwoInstancesNeverOversellAndRedisEqualsTheDatabase() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient onA = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb");
        TradeClient onB = new TradeClient(second.port(), activityId, "g" + activityId, "http://127.0.0.1:1/cb");
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            teams.add((i % 2 == 0 ? onA : onB).team("lead" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        Map<String, AtomicInteger> wonOn = Map.of("A", new AtomicInteger(), "B", new AtomicInteger());
        List<Future<String>> joins = new ArrayList<>();
        for (int i = 0; i < 950; i++) {
            String user = "joiner" + i;
            String teamId = teams.get(i % 50);
            boolean viaA = (i / 50) % 2 == 0;
            joins.add(pool.submit(() -> {
                start.await();
                JsonNode answer = (viaA ? onA : onB).lock(user, teamId);
                String code = answer.path("code").asText();
                if ("0000".equals(code)) {
                    wonOn.get(viaA ? "A" : "B").incrementAndGet();
                }
                return code;
            }));
        }
        start.countDown();
        Map<String, Long> codes = new ConcurrentHashMap<>();
        for (Future<String> join : joins) {
            codes.merge(join.get(), 1L, Long::sum);
        }
        pool.shutdown();

        assertThat(codes.get("0000"))
                .as("two free places in each of 50 teams: " + codes)
                .isEqualTo(100L);
        assertThat(wonOn.get("A").get()).isPositive();
        assertThat(wonOn.get("B").get()).isPositive();
        for (String teamId : teams) {
            Map<String, Object> team = jdbc.queryForMap(
                    "SELECT lock_count, target_count FROM group_buy_order " + "WHERE team_id = ?", teamId);
            int orders = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM group_buy_order_list WHERE team_id = ?", Integer.class, teamId);
            assertThat(team.get("lock_count")).as("team " + teamId).isEqualTo(3);
            assertThat(orders).as("orders of team " + teamId).isEqualTo(3);
            assertThat(reservation.placesOf(teamId))
                    .as("Redis places of team " + teamId)
                    .isEqualTo(3);
        }
    }

    @Test
    void settlementsOfOneTeamArrivingAtBothInstancesCompleteItOnceWithOneCallback() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            long activityId = ACTIVITY.incrementAndGet();
            TradeClient onA = TradeClient.onNewGoods(port, jdbc, activityId, partner.url());
            TradeClient onB = new TradeClient(second.port(), activityId, "g" + activityId, partner.url());
            List<String> teams = new ArrayList<>();
            List<String> members = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String[] users = {"p" + t + "a", "p" + t + "b", "p" + t + "c"};
                teams.add(onA.team(users));
                members.addAll(List.of(users));
            }
            String paidAt = TradeClient.now();
            ExecutorService pool = Executors.newFixedThreadPool(24);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (String user : members) {
                // Every payment notice arrives at both instances at once, as a mall retrying through a load balancer.
                for (TradeClient instance : List.of(onA, onB)) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return settleRetryingOutages(instance, user, paidAt);
                    }));
                }
            }
            start.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo("0000");
            }
            pool.shutdown();

            await(() -> partner.received().size() >= teams.size());
            Thread.sleep(1000); // a second callback of a team would arrive within milliseconds of the first
            Map<String, Long> callbacks = partner.received().stream()
                    .collect(Collectors.groupingBy(b -> b.path("teamId").asText(), Collectors.counting()));
            for (String teamId : teams) {
                assertThat(jdbc.queryForMap(
                                "SELECT status, complete_count, lock_count FROM group_buy_order " + "WHERE team_id = ?",
                                teamId))
                        .containsEntry("status", 1)
                        .containsEntry("complete_count", 3)
                        .containsEntry("lock_count", 3);
                assertThat(jdbc.queryForObject(
                                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? "
                                        + "AND notify_category = 'trade_settlement'",
                                Integer.class,
                                teamId))
                        .isEqualTo(1);
                assertThat(callbacks.get(teamId))
                        .as("callbacks of team " + teamId)
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    void theCompensationJobBroadcastOverBothExecutorsDeliversEachTaskByExactlyOneShard() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            List<String> teams = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                teams.add(tasks.dueTask(partner.url()));
            }
            Map<Integer, Long> perShard = jdbc
                    .queryForList(
                            "SELECT MOD(id, 2) AS shard FROM notify_task " + "WHERE notify_status = 0", Integer.class)
                    .stream()
                    .collect(Collectors.groupingBy(s -> s, Collectors.counting()));

            Trigger onA = trigger(EXECUTOR_A, 0, 2);
            Trigger onB = trigger(second.executorPort(), 1, 2);
            RunLine a = onA.awaitLine();
            RunLine b = onB.awaitLine();

            assertThat(a.shard()).isZero();
            assertThat(b.shard()).isEqualTo(1);
            assertThat(a.delivered())
                    .as("shard 0 delivers the tasks with an even id")
                    .isEqualTo(perShard.get(0));
            assertThat(b.delivered())
                    .as("shard 1 delivers the tasks with an odd id")
                    .isEqualTo(perShard.get(1));
            Map<String, Long> perTeam = partner.received().stream()
                    .collect(Collectors.groupingBy(body -> body.path("teamId").asText(), Collectors.counting()));
            assertThat(perTeam.keySet()).containsExactlyInAnyOrderElementsOf(teams);
            assertThat(new HashSet<>(perTeam.values())).containsExactly(1L);
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE notify_status = 1 "
                                    + "AND notify_count = 1 AND team_id IN (" + in(teams) + ")",
                            Integer.class))
                    .isEqualTo(120);
        }
    }

    @Test
    void anInstanceKilledMidRunLeavesItsLeasedTasksToTheOtherAfterTheLease() throws Exception {
        try (SlowPartner partner = new SlowPartner(1500)) {
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            List<String> teams = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                teams.add(tasks.dueTask(partner.url()));
            }
            // B alone takes the run first (the console's broadcast reached B), so its lanes hold leases when it dies.
            trigger(second.executorPort(), 0, 1);
            await(() -> partner.received() >= 2);
            long pid = second.pid();
            second.kill();
            // B's sends died with it; what A sends from now on is answered at once.
            partner.open();
            List<Map<String, Object>> leasedByDead = jdbc.queryForList(
                    "SELECT id, team_id, claim_until "
                            + "FROM notify_task WHERE notify_status <> 1 AND claimed_by LIKE ? AND claim_until > "
                            + "UTC_TIMESTAMP(3)",
                    pid + "@%");
            assertThat(leasedByDead).as("the killed instance held leases").isNotEmpty();
            int recordedByDead = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM notify_task WHERE notify_status = 1 " + "AND team_id IN (" + in(teams) + ")",
                    Integer.class);
            List<String> deadTeams = leasedByDead.stream()
                    .map(row -> (String) row.get("team_id"))
                    .toList();

            // The console now shards over the live executor alone: A runs 0/1, then again once the leases ended.
            RunLine early = trigger(EXECUTOR_A, 0, 1).awaitLine();
            // Lease ends are stored to the whole second: wait a second past them.
            await(() -> jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE claim_until > UTC_TIMESTAMP(3) "
                                    + "- INTERVAL 1 SECOND AND team_id IN (" + in(deadTeams) + ")",
                            Integer.class)
                    == 0);
            RunLine after = trigger(EXECUTOR_A, 0, 1).awaitLine();

            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM notify_task WHERE notify_status = 1 AND team_id IN (" + in(teams)
                                    + ")",
                            Integer.class))
                    .as(
                            "every task delivered in the end: %s at %s",
                            jdbc.queryForList("SELECT id, notify_status, notify_count, next_attempt_time, claim_until, "
                                    + "claimed_by FROM notify_task WHERE team_id IN (" + in(teams) + ")"),
                            jdbc.queryForObject("SELECT UTC_TIMESTAMP(3)", String.class))
                    .isEqualTo(16);
            assertThat(early.delivered() + after.delivered())
                    .as("A delivered everything B had not recorded")
                    .isEqualTo(16 - recordedByDead);
            for (Map<String, Object> leased : leasedByDead) {
                LocalDateTime leaseEnd = (LocalDateTime) leased.get("claim_until");
                assertThat(jdbc.queryForList(
                                "SELECT attempt_time FROM notify_attempt WHERE task_id = ?",
                                LocalDateTime.class,
                                leased.get("id")))
                        .as("task of team " + leased.get("team_id") + " sent again only after the dead lease ended")
                        .hasSize(1)
                        .allMatch(at -> !at.isBefore(leaseEnd));
            }
            Set<String> untouchedByDead = new HashSet<>(teams);
            deadTeams.forEach(untouchedByDead::remove);
            for (String teamId : teams) {
                long received = partner.callbacksOf(teamId);
                if (untouchedByDead.contains(teamId)) {
                    assertThat(received).as("callbacks of team " + teamId).isEqualTo(1);
                } else {
                    // The dead instance may have sent it before it died (no answer recorded): at least once.
                    assertThat(received).as("callbacks of team " + teamId).isBetween(1L, 2L);
                }
            }
        }
    }

    /**
     * A mall's payment notice, sent again after an E0401 (503, a dependency briefly out of reach: two instances of
     * 12 racing notices on one 2-core machine can wait past the pool's 1 s connection bound); any other answer is
     * returned as it came.
     */
    private static String settleRetryingOutages(TradeClient instance, String user, String paidAt) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return instance.settle(user, paidAt).path("code").asText();
            } catch (AssertionError e) {
                if (attempt == 5 || !e.getMessage().contains("E0401")) {
                    throw e;
                }
                Thread.sleep(300L * attempt);
            }
        }
    }

    private static String in(List<String> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }

    /** POST /run to an executor as the console does for one shard of a broadcast, then read its job log. */
    private static Trigger trigger(int executorPort, int shardIndex, int shardTotal) throws Exception {
        long logId = LOG_ID.incrementAndGet();
        long logDateTime = System.currentTimeMillis();
        String body = "{\"jobId\":1,\"executorHandler\":\"groupBuyNotifyJob\",\"executorParams\":\"\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + logId
                + ",\"logDateTime\":" + logDateTime + ",\"glueType\":\"BEAN\",\"glueSource\":\"\","
                + "\"glueUpdatetime\":0,\"broadcastIndex\":" + shardIndex + ",\"broadcastTotal\":" + shardTotal + "}";
        JsonNode accepted = executor(executorPort, "/run", body);
        assertThat(accepted.path("code").asInt())
                .as("run accepted: " + accepted)
                .isEqualTo(200);
        return new Trigger(executorPort, logId, logDateTime);
    }

    private static JsonNode executor(int executorPort, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + executorPort + path))
                        .header("Content-Type", "application/json")
                        .header("XXL-JOB-ACCESS-TOKEN", TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** One triggered run; its summary line is read back through the executor's /log, as the console shows it. */
    private record Trigger(int executorPort, long logId, long logDateTime) {

        RunLine awaitLine() throws Exception {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                JsonNode log = executor(
                        executorPort,
                        "/log",
                        "{\"logDateTim\":" + logDateTime + ",\"logId\":" + logId + ",\"fromLineNum\":1}");
                Matcher line =
                        RUN_LINE.matcher(log.path("content").path("logContent").asText(""));
                if (line.find()) {
                    return new RunLine(
                            Integer.parseInt(line.group(1)),
                            Integer.parseInt(line.group(2)),
                            Integer.parseInt(line.group(3)),
                            Integer.parseInt(line.group(4)));
                }
                Thread.sleep(200);
            }
            throw new AssertionError("run " + logId + " on executor " + executorPort + " wrote no summary in 60 s");
        }
    }

    private record RunLine(int shard, int total, int claimed, long delivered) {}

    /**
     * A partner that answers each callback "success" only after a delay, counting callbacks per team, until it is
     * {@link #open() opened}: from then on (and the callbacks it holds then) at once. The delay is shorter than the read
     * timeout, so a sender that lives gets its answer; held callbacks are the ones in flight when their sender dies.
     */
    private static final class SlowPartner implements AutoCloseable {

        private final MockWebServer server = new MockWebServer();
        private final List<String> teams = new CopyOnWriteArrayList<>();
        private final CountDownLatch opened = new CountDownLatch(1);

        SlowPartner(long delayMillis) throws Exception {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    try {
                        teams.add(JSON.readTree(request.getBody().utf8())
                                .path("teamId")
                                .asText());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    opened.await(delayMillis, TimeUnit.MILLISECONDS);
                    return new MockResponse.Builder().code(200).body("success").build();
                }
            });
            server.start();
        }

        /** Answers the callbacks held now and every later one at once. */
        void open() {
            opened.countDown();
        }

        String url() {
            return server.url("/callback").toString();
        }

        int received() {
            return teams.size();
        }

        long callbacksOf(String teamId) {
            return teams.stream().filter(teamId::equals).count();
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
