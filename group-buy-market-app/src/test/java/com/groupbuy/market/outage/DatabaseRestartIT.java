package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateDatabase;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.support.UnexpectedFailures;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real MariaDB server of the class's own ({@link PrivateDatabase}: a mariadbd started from a fresh data folder,
 * about a second), killed -9 and started again on its data, or turned read-only as a failover leaves an old primary,
 * while partners trade. The local compensation run is on (every 300 ms), as in production, to show the outbox resumes.
 */
@PrivateDatabaseContext
class DatabaseRestartIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final PartnerReceiver PARTNER = PartnerReceiver.startOrFail();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Autowired
    PrivateMariaDb database;

    @Autowired
    TcpProxy address;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamPlaceReservation places;

    @LocalServerPort
    int port;

    @AfterAll
    static void closePartner() {
        PARTNER.close();
    }

    /**
     * kill -9, then the server started again on its data: while it is down every lock is 503 E0401 and the health is
     * DOWN; once it is back, the first lock succeeds when the database breaker's probe goes through (open for 2 s), and
     * from then on a burst of 40 locks is served whole, none meeting a connection the old server closed (Hikari checks a
     * connection idle over 500 ms before lending it), and the health is UP again.
     */
    @Test
    void afterAKillAndARestartEveryPartnerIsServedOnceTheBreakerProbes() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 31_100, PARTNER.url());
        assertThat(burst(mall, "b")).as("before the kill").containsOnlyKeys("200:0000");

        database.kill();
        assertThat(burst(mall, "d")).as("while down").containsOnlyKeys("503:E0401");
        assertThat(health()).as("health while down").startsWith("503 ").contains("\"db\":{\"status\":\"DOWN\"");

        database.startAgain();
        long back = System.nanoTime();
        int tries = 0;
        String code;
        do {
            tries++;
            code = TestJson.JSON
                    .readTree(mall.lockAnswer("p" + tries, "").body())
                    .path("code")
                    .asText();
            if (!code.equals("0000")) {
                Thread.sleep(50);
            }
        } while (!code.equals("0000") && System.nanoTime() - back < 20_000_000_000L);
        long firstMillis = (System.nanoTime() - back) / 1_000_000;
        System.out.println("first lock served " + firstMillis + " ms after the database was back, try " + tries);
        assertThat(code).isEqualTo("0000");
        // The breaker's open time (2 s) and one probe, normally 2-3 s. What it tells apart is a pool or breaker that
        // waits out its 30 s timeouts (connection, validation): the bound is a third of that, so a loaded machine's
        // seconds (3.5 s failed once against a 3 s bound on CI beside other builds) never decide it.
        assertThat(firstMillis).as("within the breaker's open time and a probe").isLessThan(10_000);
        assertThat(burst(mall, "a")).as("a burst right after").containsOnlyKeys("200:0000");
        assertThat(health()).as("health after").startsWith("200 ").contains("\"db\":{\"status\":\"UP\"");
    }

    /**
     * A failover leaves the old primary read-only: a lock, a join and a settlement are 503 E0401 with Retry-After
     * (nothing written, no place held), not 0001, and served again once it takes writes. Failed on main: 0001 each.
     */
    @Test
    void aDatabaseThatTakesNoWritesIsAnOutageForPartners() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 31_200, PARTNER.url());
        String team = mall.team("r1", "r2");
        database.admin("SET GLOBAL read_only = 1");
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            answers.add(mall.lockAnswer("r3", ""));
            answers.add(mall.lockAnswer("r4", team));
            answers.add(
                    TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody("r1", TradeClient.now())));
        } finally {
            database.admin("SET GLOBAL read_only = 0");
        }
        for (HttpResponse<String> answer : answers) {
            System.out.println("read-only: " + answer.statusCode() + " " + answer.body());
        }
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText())
                    .isEqualTo("E0401");
        }
        assertThat(places.placesOf(team))
                .as("places of the team joined while read-only")
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM group_buy_order WHERE activity_id = 31200", Integer.class))
                .isEqualTo(1);
        assertThat(mall.lock("r4", team).path("code").asText()).isEqualTo("0000");
        assertThat(mall.settle("r1").path("code").asText()).isEqualTo("0000");
    }

    /**
     * A failover behind the same address that closes no connection (DNS, a proxy): the old primary turns read-only
     * and new connections reach the new one, while every pooled connection stays on the old. The first write refused
     * retires the pool's connections, so a lock is served by the new primary within about a second (mostly the first:
     * its group commit's batch refused, it is written alone on a new connection). Failed before StaleWriterEviction:
     * every lock for 5 s was E0401 (the pool kept its connections to the old server for 30 min).
     */
    @Test
    void afterAFailoverBehindTheSameAddressALockSentAgainReachesTheNewPrimary() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 31_400, PARTNER.url());
        assertThat(burst(mall, "w")).as("warming the pool").containsOnlyKeys("200:0000");
        PrivateMariaDb promoted = database.replica();
        try {
            database.admin("SET GLOBAL read_only = 1");
            address.retarget(promoted.port());
            long failedOver = System.nanoTime();
            List<String> codes = new ArrayList<>();
            String code;
            do {
                code = TestJson.JSON
                        .readTree(mall.lockAnswer("f" + codes.size(), "").body())
                        .path("code")
                        .asText();
                codes.add(code);
                if (!code.equals("0000")) {
                    Thread.sleep(100);
                }
            } while (!code.equals("0000") && System.nanoTime() - failedOver < 5_000_000_000L);
            long servedMillis = (System.nanoTime() - failedOver) / 1_000_000;
            System.out.println("after the failover: " + codes + " in " + servedMillis + " ms");
            // The bound is the 5 s the lock is sent again for: what it tells apart is a pool kept on the old primary
            // until Hikari's maxLifetime (30 min; before StaleWriterEviction every lock for 5 s was E0401). Served in
            // 0.15-0.5 s normally, 1 s at most when the pool was retired in the second before (one eviction a
            // second); a tighter bound (2 s) measured a loaded machine's seconds, not the eviction.
            assertThat(code)
                    .as("a lock sent again for 5 s: %s in %d ms", codes, servedMillis)
                    .isEqualTo("0000");
            // Mostly 0000 at once since a refusal retires the pool where it is met: the group commit's batch is
            // refused by the old primary, and the lock then written alone takes a new connection (the new primary).
            assertThat(codes).as("E0401 until served").allMatch(c -> c.equals("E0401") || c.equals("0000"));
        } finally {
            address.retarget(database.port());
            database.admin("SET GLOBAL read_only = 0");
            dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
            promoted.destroy();
        }
    }

    /**
     * 8 threads of a partner lock and settle 48 teams of 3, each request sent again on 503 E0401, a closed connection or
     * a timeout until answered 0000 (the same out trade number), and the server is killed -9 during it and started
     * again: every answer on the way is 0000 or E0401, each 0000 names the one order paid for its buyer, every team is
     * full and paid once with Redis holding its database count, and every team's callback reaches the partner, one
     * {@code webhook-id} per team, every task done by the local compensation run.
     */
    @Test
    void aKillDuringAStormOfLocksAndSettlementsLosesAndDoublesNothing() throws Exception {
        Map<String, AtomicInteger> seen = storm(31_300, "s", answers -> {
            // Killed mid-storm: once a fifth of the answers it needs are in.
            long waitFrom = System.currentTimeMillis();
            while (answers.getOrDefault("200:0000", new AtomicInteger()).get() < 60
                    && System.currentTimeMillis() - waitFrom < 10_000) {
                Thread.sleep(5);
            }
            long killed = System.nanoTime();
            database.kill();
            Thread.sleep(300);
            database.startAgain();
            System.out.println("restart took ms " + (System.nanoTime() - killed) / 1_000_000);
        });
        assertThat(seen).as("the kill landed mid-storm").containsKey("503:E0401");
    }

    /**
     * The same storm with the disk the tables are on full from its start ({@link PrivateMariaDb#fillDisk}: a lock or a
     * settlement whose table must grow is refused, 1114 "The table … is full"), freed once 40 answers were refusals:
     * each refusal is 503 E0401 with nothing of it kept (no order row, no place, no task), and once the space is back
     * everything is served, paid and called back once, as after the kill. Failed on main: the refusals were HTTP 500
     * 0001, "unknown failure", a final-looking answer to a request that only had to be sent again.
     */
    @Test
    void aFullDiskDuringAStormOfLocksAndSettlementsLosesAndDoublesNothing() throws Exception {
        database.fillDisk();
        // Closed orders of nobody's (activity 0) in the members' table's last free pages.
        int filler = database.fillMembersTable();
        System.out.println("filler orders in the members' table's free pages: " + filler);
        Map<String, AtomicInteger> seen;
        try {
            seen = storm(31_700, "q", answers -> {
                long full = System.currentTimeMillis();
                while (refusals(answers) < 40 && System.currentTimeMillis() - full < 15_000) {
                    Thread.sleep(5);
                }
                System.out.println("while the disk was full: " + answers + "; health " + health());
                database.freeDisk();
            });
        } finally {
            database.freeDisk();
        }
        assertThat(refusals(seen)).as("answers refused for the full disk").isGreaterThanOrEqualTo(40);
    }

    private static int refusals(Map<String, AtomicInteger> answers) {
        return answers.entrySet().stream()
                .filter(answer -> !answer.getKey().equals("200:0000"))
                .mapToInt(answer -> answer.getValue().get())
                .sum();
    }

    /** What the storm's main thread does to the database while 8 threads send; given the answers seen so far. */
    private interface Disruption {
        void during(Map<String, AtomicInteger> answers) throws Exception;
    }

    /**
     * 8 threads lock and settle 6 teams of 3 each of {@code activityId} (users {@code prefix}…, each request sent again
     * until 0000) while {@code disruption} runs, then checks that nothing was lost or doubled; returns the answers seen
     * ({@code status:code}, how many).
     */
    private Map<String, AtomicInteger> storm(long activityId, String prefix, Disruption disruption) throws Exception {
        TradeClient.onNewGoods(port, jdbc, activityId, PARTNER.url());
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        Map<String, String> orderOf = new ConcurrentHashMap<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Every "unexpected failure" the service logs meanwhile (the 0001 answer's exception), so a problem below names
        // its cause: a settlement once answered 0001 in CI during the kill and never again in 11 storms here.
        UnexpectedFailures unexpected = UnexpectedFailures.capture();
        int threads = 8;
        int teamsEach = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int k = 0; k < teamsEach; k++) {
                    String lead = prefix + thread + "x" + k + "a";
                    JsonNode first = until(() -> lockRaw(activityId, lead, ""), seen, problems, "lock " + lead);
                    String team = first.path("data").path("teamId").asText();
                    orderOf.put(lead, first.path("data").path("orderId").asText());
                    for (String joiner : List.of(prefix + thread + "x" + k + "b", prefix + thread + "x" + k + "c")) {
                        JsonNode joined =
                                until(() -> lockRaw(activityId, joiner, team), seen, problems, "lock " + joiner);
                        orderOf.put(joiner, joined.path("data").path("orderId").asText());
                    }
                    for (String buyer : List.of("a", "b", "c")) {
                        String user = prefix + thread + "x" + k + buyer;
                        until(() -> settleRaw(user), seen, problems, "settle " + user);
                    }
                }
                return null;
            }));
        }
        disruption.during(seen);
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        System.out.println("storm codes: " + seen);
        System.out.println("problems: " + problems);
        System.out.println("teams: "
                + jdbc.queryForList(
                        "SELECT lock_count, complete_count, status, COUNT(*) n FROM group_buy_order"
                                + " WHERE activity_id = ? GROUP BY 1, 2, 3",
                        activityId));
        for (Map.Entry<String, String> answered : orderOf.entrySet()) {
            List<String> rows = jdbc.queryForList(
                    "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND status = 1",
                    String.class,
                    answered.getKey());
            if (!rows.equals(List.of(answered.getValue()))) {
                problems.add(answered.getKey() + " answered order " + answered.getValue() + ", paid rows " + rows);
            }
        }
        List<String> teamIds = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(
                "SELECT team_id, lock_count, complete_count FROM group_buy_order WHERE activity_id = ?", activityId)) {
            teamIds.add((String) row.get("team_id"));
            int redis = places.placesOf((String) row.get("team_id"));
            if (redis != ((Number) row.get("lock_count")).intValue()
                    || ((Number) row.get("complete_count")).intValue() != 3) {
                problems.add("team " + row + " redis places " + redis);
            }
        }
        int teams = threads * teamsEach;
        assertThat(teamIds).as("teams").hasSize(teams);
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline
                && callbacksPerTeam(teamIds).size() < teams) {
            Thread.sleep(100);
        }
        while (System.currentTimeMillis() < deadline
                && jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE notify_status <> 1", Integer.class)
                        > 0) {
            Thread.sleep(100);
        }
        System.out.println("tasks: "
                + jdbc.queryForList(
                        "SELECT notify_category, notify_status, COUNT(*) n FROM notify_task GROUP BY 1, 2"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notify_task WHERE notify_status <> 1", Integer.class))
                .as("callbacks not done")
                .isZero();
        Map<String, Integer> idsPerTeam = callbacksPerTeam(teamIds);
        assertThat(idsPerTeam).as("callbacks per team").hasSize(teams);
        assertThat(new HashSet<>(idsPerTeam.values()))
                .as("webhook-ids per team")
                .containsExactly(1);
        unexpected.close();
        assertThat(problems)
                .as("answers other than 200/503; the service's unexpected failures meanwhile: %s", unexpected.chains())
                .isEmpty();
        return seen;
    }

    /** How many {@code webhook-id}s the partner received callbacks under, by team, of {@code teamIds}. */
    private static Map<String, Integer> callbacksPerTeam(List<String> teamIds) {
        return PARTNER.signedReceived().stream()
                .filter(callback -> teamIds.contains(teamOf(callback.body())))
                .collect(Collectors.groupingBy(
                        callback -> teamOf(callback.body()),
                        Collectors.collectingAndThen(
                                Collectors.mapping(PartnerReceiver.Signed::webhookId, Collectors.toSet()),
                                java.util.Set::size)));
    }

    private static String teamOf(String callback) {
        try {
            return TestJson.JSON.readTree(callback).path("teamId").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> lockRaw(long activityId, String user, String team) throws Exception {
        String body = "{\"userId\":\"" + user + "\",\"teamId\":\"" + team + "\",\"activityId\":" + activityId
                + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                + "\"outTradeNo\":\"out-" + user + "\",\"notifyUrl\":\"" + PARTNER.url() + "\"}";
        return send(LOCK, body);
    }

    private HttpResponse<String> settleRaw(String user) throws Exception {
        return send(TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now()));
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode until(
            Callable<HttpResponse<String>> call, Map<String, AtomicInteger> seen, List<String> problems, String what)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            String code;
            JsonNode body = null;
            try {
                HttpResponse<String> answer = call.call();
                body = TestJson.JSON.readTree(answer.body());
                code = answer.statusCode() + ":" + body.path("code").asText();
            } catch (java.io.IOException e) {
                code = "io:" + e.getClass().getSimpleName();
            }
            seen.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
            if (code.equals("200:0000")) {
                return body;
            }
            if (!code.equals("503:E0401") && !code.startsWith("io:")) {
                problems.add(what + " " + code + " " + body);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " never succeeded: " + code);
            }
            Thread.sleep(100);
        }
    }

    private Map<String, Integer> burst(TradeClient mall, String round) throws Exception {
        List<Callable<String>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String user = round + i;
            sends.add(() -> {
                HttpResponse<String> answer = mall.lockAnswer(user, "");
                return answer.statusCode() + ":"
                        + TestJson.JSON.readTree(answer.body()).path("code").asText();
            });
        }
        return ConcurrentBurst.answers(8, sends);
    }

    private String health() throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.body();
    }
}
