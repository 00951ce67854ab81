package com.groupbuy.market.scale;

import static com.groupbuy.market.support.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rolling deploy's stop (SIGTERM) of one instance while partners lock and settle through it, over kept-alive
 * connections as their HTTP clients hold them. Instance A is a JVM of its own ({@link AppProcess}) on this class's
 * database and Redis prefix; instance B is this test's application context, the instance partners retry on. A
 * settlement waits on a row lock while A stops, so A's graceful stop lasts, and partners keep sending on the
 * connections they hold. Then: every answer A gave is the JSON envelope; every lock and settlement answered 0000 is
 * committed; every committed one answered otherwise (or not at all) is answered 0000 by its retry on B; every full and
 * paid team's callback reaches the partner once, and none is left leased to the stopped instance. The partner takes
 * 1.5 s to acknowledge a callback, so the team the waiting settlement completes is still being called back when A's
 * web server has stopped: before 2026-12-04 A closed its database pool and ended without waiting for that send, and
 * its task stayed leased to A for a minute (then sent again: twice to the partner).
 */
@IntegrationTest
class RollingStopIT {

    private static final long ACTIVITY = 19500;
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    DueCallbackDeliveryService callbacks;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    /** The partner's callback endpoint, named by every lock. */
    private String notifyUrl;

    /** One request a partner sent to A, and what came back (an answer, or the failure its client saw). */
    record Sent(String path, String body, int status, String answer, String failure) {
        boolean answered() {
            return failure == null;
        }

        boolean ok() {
            if (!answered()) {
                return false;
            }
            try {
                return "0000".equals(JSON.readTree(answer).path("code").asText());
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Test
    void aSigtermUnderLoadAnswersEveryRequestWithTheEnvelopeAndLosesNothingCommitted() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            notifyUrl = partner.url();
            new MarketConfigFixture(jdbc).goods("g" + ACTIVITY, ACTIVITY, "ZJ", "20", "100.00");
            AppProcess a = AppProcess.start(
                    "rolling-stop-a",
                    List.of(
                            "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                                    + IsolatedDatabaseInitializer.PARAMS,
                            "--spring.datasource.hikari.maximum-pool-size=10",
                            "--gbm.redis.key-prefix=" + keyPrefix));
            try {
                stopUnderLoad(a, partner);
            } finally {
                a.kill();
            }
        }
    }

    private void stopUnderLoad(AppProcess a, PartnerReceiver partner) throws Exception {
        TradeClient onA = new TradeClient(a.port(), ACTIVITY, "g" + ACTIVITY, partner.url());
        String waitingTeam = onA.team("w1", "w2", "w3");
        assertThat(onA.settle("w1").path("code").asText()).isEqualTo("0000");
        assertThat(onA.settle("w2").path("code").asText()).isEqualTo("0000");
        // A partner that takes a while to acknowledge: callbacks are still being sent when A is told to stop.
        partner.answerAfter(Duration.ofMillis(1500));

        // A partner's client with a connection to A kept alive, idle when A is told to stop.
        HttpClient kept = HttpClient.newHttpClient();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        sent.add(send(kept, a.port(), LOCK, lockBody("k1", "")));

        ExecutorService pool = Executors.newCachedThreadPool();
        Sent waited;
        try (RowLockHolder teamRow = RowLockHolder.open(dataSource, jdbc)) {
            teamRow.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", waitingTeam);
            // The last payment of the team: it waits for the row while A stops, so A's graceful stop lasts.
            Future<Sent> waiting = pool.submit(() -> send(
                    HttpClient.newHttpClient(),
                    a.port(),
                    TradeClient.SETTLEMENT,
                    TradeClient.settlementBody("w3", TradeClient.now())));
            awaitStatementWaiting();

            AtomicBoolean loading = new AtomicBoolean(true);
            List<Future<?>> partners = new ArrayList<>();
            for (int p = 0; p < 8; p++) {
                int partnerNo = p;
                partners.add(pool.submit(() -> load(partnerNo, a.port(), loading, sent)));
            }
            Thread.sleep(1500);

            ProcessHandle.of(a.pid()).orElseThrow().destroy(); // SIGTERM
            awaitNewConnectionsRefused(a.port());
            ProcessHandle.of(a.pid()).orElseThrow().destroy(); // a second SIGTERM, an impatient operator
            // Partners send on the connections they hold, as a load balancer's pool does until it sees them closed.
            sent.add(send(kept, a.port(), LOCK, lockBody("k2", "")));
            Thread.sleep(2000);

            teamRow.rollback();
            waited = waiting.get(30, TimeUnit.SECONDS);
            sent.add(waited);
            assertThat(ProcessHandle.of(a.pid())
                            .orElseThrow()
                            .onExit()
                            .get(60, TimeUnit.SECONDS)
                            .isAlive())
                    .isFalse();
            loading.set(false);
            for (Future<?> load : partners) {
                load.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        String outcomes = sent.stream()
                .collect(Collectors.groupingBy(
                        x -> x.answered() ? x.status() + " " + (x.ok() ? "0000" : x.answer()) : x.failure(),
                        Collectors.counting()))
                .toString();
        List<Sent> answered = sent.stream().filter(Sent::answered).toList();
        assertThat(answered.stream().filter(s -> !isEnvelope(s)).toList())
                .as("answers of A that are not the JSON envelope; all outcomes: " + outcomes)
                .isEmpty();
        assertThat(waited.ok())
                .as("the settlement that waited through the stop: " + waited)
                .isTrue();
        assertCommittedAsAnswered(sent);
        assertRetriesOfCommittedAnswerOk(sent);
        assertEveryCompleteTeamCalledBackOnce(partner);
    }

    /** A partner: opens a team, two more users join it, all three pay; again, until A is gone. */
    private void load(int partnerNo, int port, AtomicBoolean loading, List<Sent> sent) {
        HttpClient client = HttpClient.newHttpClient();
        for (int round = 0; loading.get(); round++) {
            String[] users = {
                "p" + partnerNo + "r" + round + "a",
                "p" + partnerNo + "r" + round + "b",
                "p" + partnerNo + "r" + round + "c"
            };
            String teamId = "";
            for (String user : users) {
                Sent lock = send(client, port, LOCK, lockBody(user, teamId));
                sent.add(lock);
                if (refused(lock)) {
                    return;
                }
                if (!lock.ok()) {
                    break;
                }
                teamId = teamIdOf(lock.answer());
            }
            for (String user : users) {
                Sent settle =
                        send(client, port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now()));
                sent.add(settle);
                if (refused(settle)) {
                    return;
                }
            }
        }
    }

    /** Nothing listens any more: the partner's load balancer takes it out; nothing was sent. */
    private static boolean refused(Sent sent) {
        return sent.failure() != null && sent.failure().contains(ConnectException.class.getName());
    }

    private String lockBody(String userId, String teamId) {
        return "{\"userId\":\"" + userId + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + ACTIVITY
                + ",\"goodsId\":\"g" + ACTIVITY + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-"
                + userId + "\",\"notifyUrl\":\"" + notifyUrl + "\"}";
    }

    private static Sent send(HttpClient client, int port, String path, String body) {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(40))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Sent(path, body, response.statusCode(), response.body(), null);
        } catch (IOException e) {
            StringBuilder failure = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                failure.append(failure.isEmpty() ? "" : " <- ")
                        .append(cause.getClass().getName());
            }
            return new Sent(path, body, 0, null, failure.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(path, body, 0, null, e.toString());
        }
    }

    private static boolean isEnvelope(Sent sent) {
        try {
            JsonNode body = JSON.readTree(sent.answer());
            return body != null && TestJson.fields(body).equals(List.of("code", "info", "data"));
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitStatementWaiting() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (jdbc.queryForObject(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' "
                                + "AND TIME_MS > 300 AND INFO LIKE '%group_buy_order%' AND ID <> CONNECTION_ID()",
                        Integer.class, database)
                == 0) {
            assertThat(System.currentTimeMillis())
                    .as("the settlement reached the row")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitNewConnectionsRefused(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                assertThat(System.currentTimeMillis()).as("A closed its port").isLessThan(deadline);
                Thread.sleep(20);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void assertCommittedAsAnswered(List<Sent> sent) throws IOException {
        Map<String, Integer> statusByOutTradeNo = orders();
        for (Sent s : sent) {
            if (!s.ok()) {
                continue;
            }
            String outTradeNo = JSON.readTree(s.body()).path("outTradeNo").asText();
            assertThat(statusByOutTradeNo)
                    .as("answered 0000 and committed: " + s)
                    .containsKey(outTradeNo);
            if (s.path().equals(TradeClient.SETTLEMENT)) {
                assertThat(statusByOutTradeNo.get(outTradeNo)).as("paid: " + s).isEqualTo(1);
            }
        }
    }

    /** A partner that did not get 0000 sends the same request again, now to B: a committed write answers 0000. */
    private void assertRetriesOfCommittedAnswerOk(List<Sent> sent) throws Exception {
        Map<String, Integer> statusByOutTradeNo = orders();
        Set<String> okLocks = new HashSet<>();
        Set<String> okSettlements = new HashSet<>();
        for (Sent s : sent) {
            if (s.ok()) {
                String outTradeNo = JSON.readTree(s.body()).path("outTradeNo").asText();
                (s.path().equals(LOCK) ? okLocks : okSettlements).add(outTradeNo);
            }
        }
        for (Sent s : sent) {
            String outTradeNo = JSON.readTree(s.body()).path("outTradeNo").asText();
            boolean isLock = s.path().equals(LOCK);
            Integer status = statusByOutTradeNo.get(outTradeNo);
            boolean committed = status != null && (isLock || status == 1);
            if (!committed || (isLock ? okLocks : okSettlements).contains(outTradeNo)) {
                continue;
            }
            Sent retry = send(HttpClient.newHttpClient(), port, s.path(), s.body());
            assertThat(retry.ok())
                    .as("retry on B of a committed " + s + " answered " + retry)
                    .isTrue();
        }
    }

    /**
     * The callbacks A was sending when told to stop were sent to the end and recorded, not left leased to a stopped
     * instance (no other instance may send them before their lease ends, a minute by default, and then the partner
     * gets them twice); what is still due B sends now. Each full and paid team is called back once.
     */
    private void assertEveryCompleteTeamCalledBackOnce(PartnerReceiver partner) throws InterruptedException {
        List<String> complete = jdbc.queryForList("SELECT team_id FROM group_buy_order WHERE status = 1", String.class);
        assertThat(complete).isNotEmpty();
        assertThat(jdbc.queryForList("SELECT team_id, notify_status, claimed_by, claim_until FROM notify_task "
                        + "WHERE notify_status <> 1 AND claim_until > CURRENT_TIMESTAMP(3)"))
                .as("callbacks left leased by the stopped instance")
                .isEmpty();
        callbacks.deliverAllDue();
        Map<String, Long> calledBack = partner.received().stream()
                .collect(Collectors.groupingBy(b -> b.path("teamId").asText(), Collectors.counting()));
        for (String teamId : complete) {
            assertThat(calledBack.get(teamId)).as("callbacks of team " + teamId).isEqualTo(1L);
        }
    }

    private Map<String, Integer> orders() {
        return jdbc.queryForList("SELECT out_trade_no, status FROM group_buy_order_list").stream()
                .collect(Collectors.toMap(
                        row -> (String) row.get("out_trade_no"), row -> ((Number) row.get("status")).intValue()));
    }

    private static String teamIdOf(String lockAnswer) {
        try {
            return JSON.readTree(lockAnswer).path("data").path("teamId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
