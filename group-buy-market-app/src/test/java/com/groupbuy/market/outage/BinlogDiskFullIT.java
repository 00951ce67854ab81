package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.PrivateDatabase;
import com.groupbuy.market.support.PrivateMariaDb;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.support.UnexpectedFailures;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The database's binary log on a full disk: MariaDB does not refuse a commit then, it waits ("Waiting for someone to
 * free space", checked again every 60 s), holding its connection and its row locks, whatever max_statement_time says.
 * The service's socket timeout (12 s) is what ends the wait for the partner; the server's thread goes on waiting and
 * commits once the space is back. What a partner is told meanwhile, and what the same request sent again is told
 * once the commit went through, must agree with what the database holds.
 *
 * <p>Run only when asked ({@code -Dgbm.staged.binlog-disk-full=true}): it takes 90-100 s, as MariaDB looks at a
 * waiting commit again only once a minute, and it found nothing to mend (2026-12-06) — a guard to rerun when the write
 * path's bounds or the lost-commit read-back change, not a cost for every build.
 */
@IntegrationTest
@RunsAlone
@EnabledIfSystemProperty(named = "gbm.staged.binlog-disk-full", matches = "true")
@ContextConfiguration(initializers = PrivateDatabase.class)
@TestPropertySource(
        properties = {
            "gbm.notify.local-scheduler-enabled=true",
            "gbm.notify.local-scheduler-delay=300ms",
            PrivateDatabase.BINLOG_DISK + "=8m"
        })
class BinlogDiskFullIT {

    private static final PartnerReceiver PARTNER = PartnerReceiver.startOrFail();
    private static final long ACTIVITY = 31_800;
    private static final int TEAMS = 4;

    @Autowired
    PrivateMariaDb database;

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

    @Test
    void aCommitWaitingForBinlogSpaceIsAnsweredE0401AndItsResendAnswersWhatTheDatabaseHolds() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY, PARTNER.url());
        List<String> teams = new ArrayList<>();
        for (int t = 0; t < TEAMS; t++) {
            teams.add(mall.team("t" + t + "a", "t" + t + "b"));
        }
        // What is sent while the binary log's disk is full: each team's last place (one batch, whose COMMIT waits for
        // the binary log), then, while it waits, its lead's settlement and a new team's lock.
        Map<String, Callable<HttpResponse<String>>> sends = new LinkedHashMap<>();
        for (int t = 0; t < TEAMS; t++) {
            sends.put("lock t" + t + "c", lockOf(mall, "t" + t + "c", teams.get(t)));
        }
        for (int t = 0; t < TEAMS; t++) {
            sends.put("settle t" + t + "a", settlementOf("t" + t + "a"));
            sends.put("lock n" + t, lockOf(mall, "n" + t, ""));
        }
        UnexpectedFailures unexpected = UnexpectedFailures.capture();
        Map<String, String> meanwhile = new ConcurrentHashMap<>();
        database.fillDisk();
        long full = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(sends.size());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Map.Entry<String, Callable<HttpResponse<String>>> send : sends.entrySet()) {
                sent.add(senders.submit(() -> {
                    long from = System.nanoTime();
                    HttpResponse<String> answer = send.getValue().call();
                    meanwhile.put(
                            send.getKey(),
                            answer.statusCode() + ":" + code(answer) + " retry-after="
                                    + answer.headers().firstValue("Retry-After").orElse("-") + " in "
                                    + (System.nanoTime() - from) / 1_000_000 + " ms");
                    return null;
                }));
                if (send.getKey().equals("lock t" + (TEAMS - 1) + "c")) {
                    Thread.sleep(500);
                }
            }
            for (Future<?> answered : sent) {
                answered.get();
            }
        } finally {
            senders.shutdownNow();
            System.out.println("server while full:\n" + database.logTail());
            database.freeDisk();
        }
        long freed = System.nanoTime();
        System.out.println(
                "answered while the binary log's disk was full (" + (freed - full) / 1_000_000 + " ms): " + meanwhile);

        // Every request sent again, the same out trade number, until answered 0000.
        Map<String, String> orderOf = new LinkedHashMap<>();
        Map<String, List<String>> resent = new LinkedHashMap<>();
        for (Map.Entry<String, Callable<HttpResponse<String>>> send : sends.entrySet()) {
            JsonNode done = until(send.getKey(), send.getValue(), resent);
            if (send.getKey().startsWith("lock ")) {
                orderOf.put(
                        send.getKey().substring(5),
                        done.path("data").path("orderId").asText());
            }
        }
        System.out.println(
                "served " + (System.nanoTime() - freed) / 1_000_000 + " ms after the space was back: " + resent);
        for (int t = 0; t < TEAMS; t++) {
            for (String buyer : List.of("b", "c")) {
                assertThat(mall.settle("t" + t + buyer).path("code").asText()).isEqualTo("0000");
            }
        }
        unexpected.close();

        assertThat(meanwhile).as("answered while full").hasSize(sends.size());
        for (Map.Entry<String, String> answer : meanwhile.entrySet()) {
            assertThat(answer.getValue())
                    .as(answer.getKey() + "; the service's unexpected failures: " + unexpected.chains())
                    .matches("(503:E0401 retry-after=\\d+|200:0000 retry-after=-) in \\d+ ms");
            long millis = Long.parseLong(answer.getValue().replaceAll(".* in (\\d+) ms", "$1"));
            // Bounds in a row, none cut short: a batch's statement waiting for a row a waiting COMMIT holds (10 s,
            // max_statement_time), the request's brief try alone (1 s, or its own COMMIT cut by the socket timeout,
            // 12 s). 20-32 s measured; what this tells apart is a request held until the space is back (60 s).
            assertThat(millis).as(answer.getKey() + " within its bounds").isLessThan(40_000);
        }
        for (Map.Entry<String, String> order : orderOf.entrySet()) {
            assertThat(jdbc.queryForList(
                            "SELECT order_id FROM group_buy_order_list WHERE user_id = ?",
                            String.class,
                            order.getKey()))
                    .as("orders of " + order.getKey())
                    .containsExactly(order.getValue());
        }
        System.out.println("teams: "
                + jdbc.queryForList(
                        "SELECT team_id, lock_count, complete_count, status FROM group_buy_order WHERE activity_id = ?",
                        ACTIVITY));
        for (String team : teams) {
            Map<String, Object> row =
                    jdbc.queryForMap("SELECT lock_count, complete_count FROM group_buy_order WHERE team_id = ?", team);
            assertThat(((Number) row.get("lock_count")).intValue())
                    .as("team " + team)
                    .isEqualTo(3);
            assertThat(((Number) row.get("complete_count")).intValue())
                    .as("team " + team)
                    .isEqualTo(3);
            assertThat(places.placesOf(team)).as("Redis places of " + team).isEqualTo(3);
        }
        // A new team whose batch's COMMIT was cut may have no counter (its count is made after a commit the service
        // saw): its first join seeds it from the team row.
        for (int t = 0; t < TEAMS; t++) {
            String team = jdbc.queryForObject(
                    "SELECT team_id FROM group_buy_order_list WHERE user_id = ?", String.class, "n" + t);
            assertThat(mall.lock("n" + t + "j", team).path("code").asText()).isEqualTo("0000");
            assertThat(places.placesOf(team))
                    .as("Redis places of n" + t + "'s team")
                    .isEqualTo(2);
        }
        TestJson.await(() -> teams.stream()
                .allMatch(team -> PARTNER.signedReceived().stream()
                        .anyMatch(callback -> callback.body().contains(team))));
        for (String team : teams) {
            assertThat(PARTNER.signedReceived().stream()
                            .filter(callback -> callback.body().contains(team))
                            .map(PartnerReceiver.Signed::webhookId)
                            .distinct())
                    .as("callbacks of " + team)
                    .hasSize(1);
        }
        // The pool and the group commit's writers are back without a restart.
        for (int i = 0; i < 8; i++) {
            assertThat(mall.lock("after" + i, "").path("code").asText()).isEqualTo("0000");
        }
    }

    private static Callable<HttpResponse<String>> lockOf(TradeClient mall, String user, String team) {
        return () -> mall.lockAnswer(user, team);
    }

    private Callable<HttpResponse<String>> settlementOf(String user) {
        String at = TradeClient.now();
        return () -> TestJson.post(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, at));
    }

    private static String code(HttpResponse<String> answer) throws Exception {
        return TestJson.JSON.readTree(answer.body()).path("code").asText();
    }

    /** Sends again every 200 ms until 0000 (at most 90 s: a waiting commit is checked again every 60 s). */
    private static JsonNode until(String what, Callable<HttpResponse<String>> send, Map<String, List<String>> answers)
            throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            HttpResponse<String> answer = send.call();
            String code = answer.statusCode() + ":" + code(answer);
            List<String> seen = answers.computeIfAbsent(what, w -> new ArrayList<>());
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(code)) {
                seen.add(code);
            }
            if (code.equals("200:0000")) {
                return TestJson.JSON.readTree(answer.body());
            }
            assertThat(code).as(what + " sent again: " + answer.body()).isEqualTo("503:E0401");
            assertThat(System.currentTimeMillis())
                    .as(what + " never served: " + seen)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
