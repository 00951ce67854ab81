package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The completion of a team of 10,000 members (the most a team may have, {@code ActivityVO.MAX_TARGET}) end to end on
 * the real servers: the last settlement over HTTP, its callback (about 1 MB: every member's trade number, 32 CJK
 * characters each) stored whole, signed and delivered over RabbitMQ and over HTTP, and the operators' views of the team
 * and its task bounded. The team is built as locks and payments leave it (two members over HTTP, the other 9,998 as
 * their rows, paid). Then the compensation run re-sends a backlog of such callbacks: its page is bounded in bytes
 * ({@code gbm.notify.page-bytes}, 2 MB here: three bodies a page), not only in tasks. A page of 250 of them was read
 * whole (783 MB of heap at its peak for one lane) and only 50 were published within the 5 s confirm window, the other
 * 200 each a failed attempt; here a window of 2 s and 16 callbacks: every one delivered at its first try of the run.
 * {@code -Dbigteam.warmups=W} completes W teams first and prints each {@code BIG ...} line (a measurement on a warm
 * JVM; none in CI).
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.notify.page-bytes=2MB",
            "gbm.mq.confirm-timeout=2s",
            "gbm.notify.run-lanes=1",
            "gbm.admin.token=it-bigteam"
        })
class BigTeamCompletionIT {

    private static final String SECRET = "test_secret";
    private static final String MQ = "\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}";
    private static final int MEMBERS = ActivityVO.MAX_TARGET;
    /** Callbacks of the backlog the compensation run re-sends. */
    private static final int BACKLOG = 16;
    /** The answers of the operators' views stay small whatever the team's size. */
    private static final int VIEW_BOUND = 64 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService deliveries;

    @Autowired
    INotifyTaskStore store;

    @RegisterExtension
    final MallQueues queues = new MallQueues();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTeamOf10000CompletesOverMqAndABacklogOfItsCallbackIsResentInPagesBoundedInBytes() throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        for (int w = 0; w < Integer.getInteger("bigteam.warmups", 0); w++) {
            completeTiming(bigTeam(17100 + w, "w" + w, MQ), "w" + w + "-last", "WARM");
        }
        String teamId = bigTeam(17001, "mq", MQ);
        long started = System.nanoTime();
        completeTiming(teamId, "mq-last", "MQ");
        await(() -> mall.forTeam(teamId).size() == 1);
        System.out.printf(
                "BIG MQ delivered %.0f ms after the last notice was sent%n", (System.nanoTime() - started) / 1e6);

        MallQueue.Received message = mall.forTeam(teamId).get(0);
        String stored = storedBody(teamId);
        assertThat(message.body()).as("the message is the stored body, whole").isEqualTo(stored);
        assertThat(TestJson.JSON.readTree(message.body()).path("outTradeNoList").size())
                .isEqualTo(MEMBERS);
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(950_000);
        MqChannelIT.assertSigned(
                message,
                jdbc.queryForObject(
                        "SELECT webhook_id FROM notify_task WHERE task_key = ?",
                        String.class,
                        teamId + ":trade_settlement"));
        await(() -> taskStatus(teamId + ":trade_settlement") == 1);
        viewsAreBounded(17001, teamId);

        // A backlog of such callbacks, due again (as after a broker outage): copies of the stored row.
        for (int i = 0; i < BACKLOG; i++) {
            jdbc.update(
                    "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                            + "notify_category, notify_type, notify_mq, notify_count, notify_status, parameter_json, "
                            + "next_attempt_time) SELECT CONCAT(task_key, ':copy', ?), CONCAT('copy-', ?, '-', team_id), "
                            + "activity_id, team_id, source, channel, notify_category, notify_type, notify_mq, 1, 2, "
                            + "parameter_json, UTC_TIMESTAMP(3) - INTERVAL 1 SECOND FROM notify_task WHERE task_key = ?",
                    i,
                    i,
                    teamId + ":trade_settlement");
        }
        // One claim of a page of 250: three bodies (2 MB), the rest left unleased for the next page.
        Instant now = Instant.now();
        List<NotifyTaskVO> page = store.claimDue(now, 0, 1, 250, 250, "bigteam", now.plusSeconds(60));
        assertThat(page).as("a page of bodies of ~1 MB each, bounded at 2 MB").hasSize(3);
        assertThat(count("SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND claim_until IS NOT NULL", teamId))
                .as("only the page's tasks leased")
                .isEqualTo(3);
        jdbc.update(
                "UPDATE notify_task SET claimed_by = NULL, claim_token = NULL, claim_until = NULL "
                        + "WHERE team_id = ?",
                teamId);

        started = System.nanoTime();
        NotifyRunSummary run = deliveries.deliverAllDue();
        System.out.printf(
                "BIG MQ BACKLOG callbacks=%d run=%s ms=%.0f%n", BACKLOG, run, (System.nanoTime() - started) / 1e6);
        assertThat(run.delivered()).as(run.toString()).isEqualTo(BACKLOG);
        assertThat(count(
                        "SELECT COUNT(*) FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ? AND a.success = 0",
                        teamId))
                .as("no failed attempt: every publish within its page's confirm window")
                .isZero();
        await(() -> mall.forTeam(teamId).size() == 1 + BACKLOG);
        assertThat(mall.forTeam(teamId))
                .allSatisfy(copy -> assertThat(copy.body()).isEqualTo(stored));
    }

    @Test
    void aTeamOf10000CompletesOverHttpAndItsPartnerGetsTheWholeBodySigned() throws Exception {
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            String teamId = bigTeam(17002, "http", "\"notifyUrl\":\"" + partner.url("/cb") + "\"");
            long started = System.nanoTime();
            completeTiming(teamId, "http-last", "HTTP");
            RecordedRequest callback = partner.takeRequest(15, TimeUnit.SECONDS);
            assertThat(callback).isNotNull();
            System.out.printf(
                    "BIG HTTP received %.0f ms after the last notice was sent%n", (System.nanoTime() - started) / 1e6);

            String body = callback.getBody().utf8();
            assertThat(body).isEqualTo(storedBody(teamId));
            assertThat(TestJson.JSON.readTree(body).path("outTradeNoList").size())
                    .isEqualTo(MEMBERS);
            assertThat(WebhookSignature.verify(
                            SECRET,
                            callback.getHeaders().get("webhook-id"),
                            callback.getHeaders().get("webhook-timestamp"),
                            body,
                            callback.getHeaders().get("webhook-signature"),
                            Instant.now().getEpochSecond()))
                    .isTrue();
            await(() -> taskStatus(teamId + ":trade_settlement") == 1);
        }
    }

    /**
     * The last notice over HTTP, timed, with the team's row asked for update 30 ms after it was sent (how long the
     * completing transaction held it, at most); prints a line.
     */
    private void completeTiming(String teamId, String lastUser, String what) throws Exception {
        long started = System.nanoTime();
        long[] waited = new long[1];
        Thread probe = probe(teamId, waited);
        JsonNode last = settle(lastUser);
        double settleMs = (System.nanoTime() - started) / 1e6;
        probe.join();
        assertThat(last.path("code").asText()).as(last.toString()).isEqualTo("0000");
        assertThat(jdbc.queryForMap("SELECT status, complete_count FROM group_buy_order WHERE team_id = ?", teamId))
                .containsEntry("status", 1)
                .containsEntry("complete_count", MEMBERS);
        System.out.printf(
                "BIG %s members=%d last_settlement_ms=%.0f team_row_waited_ms=%d%n",
                what, MEMBERS, settleMs, waited[0]);
    }

    /** The operators' views of the team and its callback: each answer small whatever the team's size. */
    private void viewsAreBounded(long activityId, String teamId) throws Exception {
        long taskId = jdbc.queryForObject(
                "SELECT id FROM notify_task WHERE task_key = ?", Long.class, teamId + ":trade_settlement");
        for (String path : List.of(
                "/api/v1/gbm/admin/notify/tasks?teamId=" + teamId,
                "/api/v1/gbm/admin/notify/tasks/" + taskId + "/attempts",
                "/api/v1/gbm/admin/console/activities/" + activityId + "/teams",
                "/api/v1/gbm/admin/console/teams/" + teamId + "/members",
                "/api/v1/gbm/admin/console/notify/tasks")) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("X-Admin-Token", "it-bigteam")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
            assertThat(answer.body().length()).as(path).isLessThan(VIEW_BOUND);
            System.out.printf("BIG VIEW %s chars=%d%n", path, answer.body().length());
        }
    }

    /**
     * A team of MEMBERS of activity {@code activityId}: its first and last member locked over HTTP, the others inserted
     * as their rows, paid, each with a trade number of 32 CJK characters; the first paid over HTTP too.
     */
    private String bigTeam(long activityId, String prefix, String notify) throws Exception {
        new MarketConfigFixture(jdbc).goods("g" + activityId, activityId, "ZJ", "20", "100.00");
        jdbc.update("UPDATE group_buy_activity SET target = ? WHERE activity_id = ?", MEMBERS, activityId);
        String teamId = lock(activityId, prefix + "-first", "", notify);
        assertThat(lock(activityId, prefix + "-last", teamId, notify)).isEqualTo(teamId);
        String digits = "LPAD(seq, 4, '0')";
        for (int d = 0; d <= 9; d++) {
            digits = "REPLACE(" + digits + ", '" + d + "', '" + "零一二三四五六七八九".charAt(d) + "')";
        }
        long started = System.nanoTime();
        jdbc.update(
                "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                        + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no,"
                        + " out_trade_time) "
                        + "SELECT CONCAT(?, seq), l.team_id, CONCAT(?, LPAD(seq, 7, '0')), l.activity_id, l.start_time,"
                        + " l.end_time, l.goods_id, l.source, l.channel, l.original_price, l.deduction_price,"
                        + " l.pay_price, 1, CONCAT(REPEAT('订', 28), " + digits + "), NOW(3) "
                        + "FROM group_buy_order_list l JOIN seq_1_to_" + (MEMBERS - 2)
                        + " WHERE l.team_id = ? AND l.user_id = ?",
                prefix,
                activityId % 10_000 + "7",
                teamId,
                prefix + "-first");
        jdbc.update(
                "UPDATE group_buy_order SET lock_count = ?, complete_count = ? WHERE team_id = ?",
                MEMBERS,
                MEMBERS - 2,
                teamId);
        System.out.printf("BIG TEAM built in %.0f ms%n", (System.nanoTime() - started) / 1e6);
        assertThat(settle(prefix + "-first").path("code").asText()).isEqualTo("0000");
        return teamId;
    }

    /** Takes the team's row for update 30 ms after now, in a transaction of its own: how long it waited. */
    private Thread probe(String teamId, long[] waitedMs) {
        Thread probe = new Thread(() -> {
            try (Connection c = jdbc.getDataSource().getConnection()) {
                Thread.sleep(30);
                c.setAutoCommit(false);
                long t = System.nanoTime();
                try (PreparedStatement st =
                        c.prepareStatement("SELECT status FROM group_buy_order WHERE team_id = ? FOR UPDATE")) {
                    st.setString(1, teamId);
                    st.executeQuery().close();
                }
                waitedMs[0] = (System.nanoTime() - t) / 1_000_000;
                c.rollback();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        probe.start();
        return probe;
    }

    private String lock(long activityId, String user, String teamId, String notify) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + user + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId
                        + ",\"goodsId\":\"g" + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\","
                        + "\"outTradeNo\":\"out-" + user + "\"," + notify + "}");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data").path("teamId").asText();
    }

    private JsonNode settle(String user) throws Exception {
        return TestJson.postEnvelope(port, TradeClient.SETTLEMENT, TradeClient.settlementBody(user, TradeClient.now()));
    }

    private String storedBody(String teamId) {
        return jdbc.queryForObject(
                "SELECT parameter_json FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement' "
                        + "ORDER BY id LIMIT 1",
                String.class,
                teamId);
    }

    private int taskStatus(String taskKey) {
        return count("SELECT notify_status FROM notify_task WHERE task_key = ?", taskKey);
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
