package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import com.groupbuy.market.types.security.WebhookSignature;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The MQ notify channel against the real RabbitMQ on 127.0.0.1:5672: malls of the original platform (notifyType MQ,
 * durable queue bound to group_buy_market_exchange) get exactly the contract's bodies and signed headers; a message
 * the broker returns is not a success; a task committed but never published is published by the job.
 */
// Binds a mall's queue on the shared broker's default exchange, where beside another class it would take that
// class's callbacks and make its unroutable keys routable.
@RunsAlone
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class MqChannelIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(14000);
    private static final String SECRET = "test_secret";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @RegisterExtension
    final MallQueues queues = new MallQueues();

    @Test
    void aCompleteTeamReachesAQueueBoundAsAMallBindsItOnceWithExactlyTheContractBodyAndSignedHeaders()
            throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        Mall shop = newMall();
        String teamId = shop.mqTeam("s1", "s2", "s3");
        for (String user : List.of("s1", "s2", "s3")) {
            assertThat(shop.client.settle(user).path("code").asText()).isEqualTo("0000");
        }

        await(() -> taskStatus(teamId, "trade_settlement") == 1);
        await(() -> mall.forTeam(teamId).size() == 1);
        Thread.sleep(500); // a second copy would arrive right behind the first
        assertThat(mall.forTeam(teamId)).hasSize(1);
        MallQueue.Received message = mall.forTeam(teamId).get(0);

        JsonNode body = TestJson.JSON.readTree(message.body());
        assertThat(fields(body)).containsExactly("teamId", "outTradeNoList");
        assertThat(body.path("teamId").asText()).isEqualTo(teamId);
        List<String> outTradeNos = new ArrayList<>();
        body.path("outTradeNoList").forEach(n -> outTradeNos.add(n.asText()));
        assertThat(outTradeNos).containsExactlyInAnyOrder("out-s1", "out-s2", "out-s3");
        assertThat(message.body()).doesNotContain(" ").startsWith("{\"teamId\":");

        Map<String, Object> task = jdbc.queryForMap(
                "SELECT webhook_id, notify_type, notify_mq, notify_count FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = 'trade_settlement'",
                teamId);
        assertThat(task)
                .containsEntry("notify_type", "MQ")
                .containsEntry("notify_mq", "topic.team_success")
                .containsEntry("notify_count", 1);
        assertSigned(message, (String) task.get("webhook_id"));
        assertThat(message.routingKey()).isEqualTo("topic.team_success");
        assertThat(jdbc.queryForObject(
                        "SELECT success FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.team_id = ? AND t.notify_category = 'trade_settlement'",
                        Integer.class,
                        teamId))
                .isEqualTo(1);
    }

    @Test
    void everyRefundKindIsPublishedOnTeamRefundWithExactlyTheContractBody() throws Exception {
        MallQueue mall = queues.bind("topic.team_refund");
        Mall shop = newMall();
        String unpaidTeam = shop.mqTeam("r1");
        String openTeam = shop.mqTeam("r2", "r3");
        shop.client.settle("r2");
        String formedTeam = shop.mqTeam("r4", "r5", "r6");
        for (String user : List.of("r4", "r5", "r6")) {
            shop.client.settle(user);
        }

        for (String user : List.of("r1", "r2", "r4")) {
            assertThat(shop.client.refund(user).path("data").path("code").asText())
                    .isEqualTo("success");
        }

        await(() -> mall.forTeam(unpaidTeam).size() == 1
                && mall.forTeam(openTeam).size() == 1
                && mall.forTeam(formedTeam).size() == 1);
        assertRefund(mall.forTeam(unpaidTeam).get(0), "unpaid_unlock", "r1", unpaidTeam, shop.activityId);
        assertRefund(mall.forTeam(openTeam).get(0), "paid_unformed", "r2", openTeam, shop.activityId);
        assertRefund(mall.forTeam(formedTeam).get(0), "paid_formed", "r4", formedTeam, shop.activityId);
        // The MQ partner's message is its own task; our refund event (on our internal exchange) is the other one.
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id IN (?, ?, ?) "
                                + "AND notify_category <> 'trade_settlement' AND notify_mq = 'topic.team_refund'",
                        Integer.class,
                        unpaidTeam,
                        openTeam,
                        formedTeam))
                .isEqualTo(3);
    }

    @Test
    void anHttpPartnersRefundReachesNoMallQueueNeitherOnTeamRefundNorOnHash() throws Exception {
        MallQueue refundKey = queues.bind("topic.team_refund");
        MallQueue everything = queues.bind("#");
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient http = TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/unused");
        String teamId = http.team("h1", "h2");
        assertThat(http.refund("h2").path("data").path("code").asText()).isEqualTo("success");
        notifyService.deliverAllDue();

        // Our refund event is owed and published (no consumer of ours runs here: it comes back unroutable).
        await(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_type = 'MQ' "
                                + "AND notify_count > 0",
                        Integer.class,
                        teamId)
                == 1);
        Thread.sleep(500); // a leaked copy would have arrived by now
        assertThat(refundKey.forTeam(teamId)).isEmpty();
        assertThat(everything.forTeam(teamId)).isEmpty();
    }

    @Test
    void theOriginalMallsDefaultNotifyConfigLocksAndAGivenNotifyMqIsRecorded() throws Exception {
        Mall shop = newMall();
        JsonNode original = shop.lock("m1", "", "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}");
        JsonNode named =
                shop.lock("m2", "", "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":\"topic.team_success\"}");
        JsonNode tooLong = shop.lock("m3", "", "{\"notifyType\":\"MQ\",\"notifyMQ\":\"" + "k".repeat(65) + "\"}");

        assertThat(original.path("code").asText()).isEqualTo("0000");
        assertThat(named.path("code").asText()).isEqualTo("0000");
        assertThat(tooLong.path("code").asText()).isEqualTo("0002");
        assertThat(tooLong.path("info").asText()).contains("notifyMQ");
        assertThat(jdbc.queryForMap(
                        "SELECT notify_type, notify_mq, notify_url FROM group_buy_order WHERE team_id = ?",
                        original.path("data").path("teamId").asText()))
                .containsEntry("notify_type", "MQ")
                .containsEntry("notify_mq", null)
                .containsEntry("notify_url", null);
        assertThat(jdbc.queryForObject(
                        "SELECT notify_mq FROM group_buy_order WHERE team_id = ?",
                        String.class,
                        named.path("data").path("teamId").asText()))
                .isEqualTo("topic.team_success");
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'm3' AND activity_id = ?",
                        Integer.class,
                        shop.activityId))
                .isZero();
    }

    @Test
    void aMessageTheBrokerReturnsAsUnroutableIsAFailedAttemptNotASuccess() throws Exception {
        String unboundKey = "topic.team_success.unbound." + UUID.randomUUID();
        String teamId = insertMqTask(unboundKey);

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.claimed()).isEqualTo(1);
        assertThat(run.delivered()).isZero();
        assertThat(taskStatus(teamId, "trade_settlement")).isEqualTo(2);
        Map<String, Object> attempt = jdbc.queryForMap(
                "SELECT a.success, a.error FROM notify_attempt a "
                        + "JOIN notify_task t ON t.id = a.task_id WHERE t.team_id = ?",
                teamId);
        assertThat(attempt.get("success")).isEqualTo(0);
        assertThat((String) attempt.get("error")).contains("returned 312 NO_ROUTE");
    }

    @Test
    void aTaskCommittedButNeverPublishedIsPublishedByTheJobOnce() throws Exception {
        MallQueue mall = queues.bind("topic.team_success");
        // As the outbox holds it when the process died between the settlement's commit and the publish.
        String teamId = insertMqTask("topic.team_success");

        NotifyRunSummary run = notifyService.deliverAllDue();

        assertThat(run.delivered()).isEqualTo(1);
        assertThat(taskStatus(teamId, "trade_settlement")).isEqualTo(1);
        await(() -> mall.forTeam(teamId).size() == 1);
        assertSigned(mall.forTeam(teamId).get(0), "msg_mq" + teamId);
        assertThat(notifyService.deliverAllDue().claimed())
                .as("nothing left to send")
                .isZero();
        Thread.sleep(300);
        assertThat(mall.forTeam(teamId)).hasSize(1);
    }

    private void assertRefund(MallQueue.Received message, String type, String user, String teamId, long activityId)
            throws Exception {
        JsonNode body = TestJson.JSON.readTree(message.body());
        assertThat(fields(body)).containsExactly("type", "userId", "teamId", "activityId", "orderId", "outTradeNo");
        assertThat(body.path("type").asText()).isEqualTo(type);
        assertThat(body.path("userId").asText()).isEqualTo(user);
        assertThat(body.path("teamId").asText()).isEqualTo(teamId);
        assertThat(body.path("activityId").asLong()).isEqualTo(activityId);
        assertThat(body.path("outTradeNo").asText()).isEqualTo("out-" + user);
        assertThat(body.path("orderId").asText())
                .isEqualTo(jdbc.queryForObject(
                        "SELECT order_id FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                        String.class,
                        user,
                        "out-" + user));
        assertThat(message.routingKey()).isEqualTo("topic.team_refund");
        String webhookId = jdbc.queryForObject(
                "SELECT webhook_id FROM notify_task WHERE team_id = ? AND notify_category <> 'trade_settlement' "
                        + "AND notify_mq = 'topic.team_refund'",
                String.class,
                teamId);
        assertSigned(message, webhookId);
    }

    private static void assertSigned(MallQueue.Received message, String webhookId) {
        assertThat(message.properties().getMessageId()).isEqualTo(webhookId);
        assertThat(message.properties().getContentType()).isEqualTo("application/json");
        assertThat(message.properties().getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(message.header("webhook-id")).isEqualTo(webhookId);
        assertThat(message.header("webhook-timestamp")).isNotBlank();
        assertThat(WebhookSignature.verify(
                        SECRET,
                        message.header("webhook-id"),
                        message.header("webhook-timestamp"),
                        message.body(),
                        message.header("webhook-signature"),
                        Instant.now().getEpochSecond()))
                .as("signature verifies with the source/channel secret")
                .isTrue();
        assertThat(WebhookSignature.verify(
                        SECRET,
                        message.header("webhook-id"),
                        message.header("webhook-timestamp"),
                        message.body() + " ",
                        message.header("webhook-signature"),
                        Instant.now().getEpochSecond()))
                .isFalse();
    }

    private String insertMqTask(String routingKey) {
        String teamId = String.format("%08d", ACTIVITY.incrementAndGet() * 1000 % 100_000_000);
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, "
                        + "notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time) "
                        + "VALUES (?, ?, 1, ?, 's01', 'c01', 'trade_settlement', 'MQ', ?, 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "msg_mq" + teamId,
                teamId,
                routingKey,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o" + teamId + "\"]}",
                Timestamp.from(Instant.now().minusSeconds(1)));
        return teamId;
    }

    private int taskStatus(String teamId, String category) {
        return jdbc.queryForObject(
                "SELECT notify_status FROM notify_task WHERE team_id = ? AND notify_category = ?",
                Integer.class,
                teamId,
                category);
    }

    private Mall newMall() {
        long activityId = ACTIVITY.incrementAndGet();
        return new Mall(activityId, TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/unused"));
    }

    /** A mall of the original platform: locks with notifyType MQ, settles and refunds through {@link TradeClient}. */
    private final class Mall {
        final long activityId;
        final TradeClient client;

        Mall(long activityId, TradeClient client) {
            this.activityId = activityId;
            this.client = client;
        }

        JsonNode lock(String userId, String teamId, String notifyConfig) throws Exception {
            return TestJson.postEnvelope(
                    port,
                    "/api/v1/gbm/trade/lock_market_pay_order",
                    "{\"userId\":\"" + userId
                            + "\",\"teamId\":\"" + teamId + "\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                            + activityId
                            + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId
                            + "\",\"notifyConfigVO\":" + notifyConfig + "}");
        }

        String mqTeam(String... users) throws Exception {
            String teamId = "";
            for (String user : users) {
                JsonNode answer = lock(user, teamId, "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}");
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
                teamId = answer.path("data").path("teamId").asText();
            }
            return teamId;
        }
    }
}
