package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Our refund consumer against the real RabbitMQ, MariaDB and Redis: however often a refund event is delivered, and
 * whether the after-commit release ran before it, after it or never (the process died after the refund's commit),
 * the team gets exactly one place back; a poison message lands on the dead-letter queue with the reason after at
 * most three attempts, and operators see it. The internal exchange and queues are this class's own (random names),
 * bound as in production; the default names are only the defaults.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class RefundConsumerIT {

    private static final String SUFFIX =
            UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String EXCHANGE = "gbm_t_exchange_" + SUFFIX;
    private static final String QUEUE = "gbm_t_refund_" + SUFFIX;
    private static final String DEAD = QUEUE + ".dead";
    private static final String ROUTING_KEY = "gbm.refund_event";
    private static final String TOKEN = "it-admin-" + SUFFIX;
    private static final AtomicInteger ACTIVITY = new AtomicInteger(8000);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.internal-exchange", () -> EXCHANGE);
        registry.add("gbm.mq.refund-consumer.queue", () -> QUEUE);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> DEAD);
        registry.add("gbm.mq.refund-consumer.retry-delay", () -> "50ms");
        registry.add("gbm.admin.token", () -> TOKEN);
    }

    @AfterAll
    static void dropBrokerObjects() {
        MallQueues.onBroker(admin -> {
            admin.deleteQueue(QUEUE);
            admin.deleteQueue(DEAD);
            admin.deleteExchange(EXCHANGE);
        });
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    IRefundRepository refunds;

    @Autowired
    NotifyRoutes routes;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TradeTimeoutService timeout;

    private PartnerReceiver partner;
    private TradeClient mall;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), partner.url());
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void processDiedAfterTheRefundCommitted_theMessageDeliveredFiveTimesGivesExactlyOnePlaceBack() throws Exception {
        String teamId = mall.team("a1", "a2");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        Task task = refundWithoutRelease("a2");
        // The hole: committed, but the process died before the after-commit release.
        assertThat(counts.lockCount(teamId)).isEqualTo(1);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        double before = handled();
        double doneBefore = counter("done");
        double duplicateBefore = counter("duplicate");
        for (int i = 0; i < 5; i++) {
            publish(task.webhookId, task.body);
        }
        awaitHandled(before + 5);

        assertThat(counts.redisPlaces(teamId)).isEqualTo(1).isEqualTo(counts.lockCount(teamId));
        Map<String, Object> record = record(task.webhookId);
        assertThat(record.get("status")).isEqualTo(1);
        assertThat(record.get("attempts")).isEqualTo(1);
        assertThat(counter("done") - doneBefore).isEqualTo(1);
        assertThat(counter("duplicate") - duplicateBefore).isEqualTo(4);
    }

    /**
     * A refund event as anyone who can publish to our refund queue may forge it, naming a buyer's live lock by its real
     * ids: the database decides, and an order that still holds its place gives nothing back (docs/partner-scope.md,
     * broker messages). Given back, the team's counter would admit one joiner more than its places.
     */
    @Test
    void aForgedRefundEventNamingALiveLockGivesNoPlaceBack() throws Exception {
        String teamId = mall.team("v1", "v2");
        Map<String, Object> lock = jdbc.queryForMap(
                "SELECT order_id, out_trade_no, activity_id FROM group_buy_order_list WHERE team_id = ? AND user_id = ?",
                teamId,
                "v2");
        JsonNode forged = JSON.createObjectNode()
                .put("type", RefundType.UNPAID_UNLOCK.getType())
                .put("userId", "v2")
                .put("teamId", teamId)
                .put("activityId", ((Number) lock.get("activity_id")).longValue())
                .put("orderId", (String) lock.get("order_id"))
                .put("outTradeNo", (String) lock.get("out_trade_no"));
        String messageId = "forged-" + UUID.randomUUID();

        publish(messageId, forged);
        // Its own record done (the release, if any, comes before it), whatever other deliveries the counters saw.
        await(() -> Integer.valueOf(1).equals(record(messageId).get("status")));

        assertThat(counts.redisPlaces(teamId)).isEqualTo(2).isEqualTo(counts.lockCount(teamId));
    }

    @Test
    void afterCommitReleaseFirstThenTheMessageFiveTimes_onePlaceBackInAll() throws Exception {
        String teamId = mall.team("b1", "b2", "b3");
        assertThat(mall.refund("b3").path("data").path("code").asText()).isEqualTo("success");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        Task task = taskOf(teamId, "trade_unpaid2refund");

        double before = handled();
        for (int i = 0; i < 5; i++) {
            publish(task.webhookId, task.body);
        }
        awaitHandled(before + 5);

        assertThat(counts.redisPlaces(teamId)).isEqualTo(2).isEqualTo(counts.lockCount(teamId));
        assertThat(record(task.webhookId).get("status")).isEqualTo(1);
    }

    @Test
    void messageFiveTimesFirstThenTheAfterCommitRelease_onePlaceBackInAll() throws Exception {
        String teamId = mall.team("c1", "c2", "c3");
        mall.settle("c3");
        Task task = refundWithoutRelease("c3");
        assertThat(task.body.path("type").asText()).isEqualTo("paid_unformed");

        double before = handled();
        for (int i = 0; i < 5; i++) {
            publish(task.webhookId, task.body);
        }
        awaitHandled(before + 5);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        // The fast path of the refund that committed arrives late (its thread was slow): nothing more is given.
        assertThat(reservation.releaseOrder(teamId, task.body.path("orderId").asText()))
                .isFalse();

        assertThat(counts.redisPlaces(teamId)).isEqualTo(2).isEqualTo(counts.lockCount(teamId));
    }

    @Test
    void expiredTeamsClosedLockAndItsUnpaidUnlockMessageGiveOnePlaceBack() throws Exception {
        String teamId = mall.team("d1", "d2");
        mall.settle("d1");
        // The team's window ended long ago: the timeout job fails it, closes d2's lock and gives its place back.
        jdbc.update("UPDATE group_buy_order SET valid_end_time = NOW(3) - INTERVAL 1 DAY WHERE team_id = ?", teamId);
        timeout.execTimeoutCloseJob();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1).isEqualTo(counts.lockCount(teamId));
        Task unpaid = taskOf(teamId, "trade_unpaid2refund");
        Task paid = taskOf(teamId, "trade_paid2refund");

        double before = handled();
        for (int i = 0; i < 5; i++) {
            publish(unpaid.webhookId, unpaid.body);
            publish(paid.webhookId, paid.body);
        }
        awaitHandled(before + 10);

        // d2's place was given back once; d1, paid in a failed team, keeps its place in the team's counts.
        assertThat(counts.redisPlaces(teamId)).isEqualTo(1).isEqualTo(counts.lockCount(teamId));
        assertThat(record(unpaid.webhookId).get("status")).isEqualTo(1);
        assertThat(record(paid.webhookId).get("status")).isEqualTo(1);
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredWithItsReasonAfterThreeAttemptsAndOperatorsSeeIt() throws Exception {
        String messageId = "msg_poison_" + UUID.randomUUID().toString().replace("-", "");
        JsonNode body = JSON.readTree("{\"type\":\"unpaid_unlock\",\"userId\":\"nobody\",\"teamId\":\"99999999\","
                + "\"activityId\":1,\"orderId\":\"999999999999\",\"outTradeNo\":\"out-nobody\"}");

        publish(messageId, body);

        Message dead = awaitDeadLetter(messageId);
        String reason = dead.getMessageProperties().getHeader("x-gbm-dead-reason");
        assertThat(reason).contains("no order 999999999999");
        assertThat((Integer) dead.getMessageProperties().getHeader("x-gbm-attempts"))
                .isEqualTo(3);
        assertThat(dead.getMessageProperties()
                        .getHeader("x-gbm-original-routing-key")
                        .toString())
                .isEqualTo(ROUTING_KEY);
        assertThat(JSON.readTree(dead.getBody())).isEqualTo(body);
        await(() -> Integer.valueOf(2).equals(record(messageId).get("status")));
        Map<String, Object> record = record(messageId);
        assertThat(record.get("attempts")).isEqualTo(3);
        assertThat(record.get("last_error").toString()).contains("no order 999999999999");

        JsonNode listed = admin(TOKEN, 200);
        assertThat(listed.path("code").asText()).isEqualTo("0000");
        JsonNode mine = null;
        for (JsonNode item : listed.path("data")) {
            if (messageId.equals(item.path("messageId").asText())) {
                mine = item;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("status").asInt()).isEqualTo(2);
        assertThat(mine.path("attempts").asInt()).isEqualTo(3);
        assertThat(mine.path("lastError").asText()).contains("no order");
        assertThat(admin("wrong", 403).path("data").isNull()).isTrue();
        assertThat(admin(null, 403).path("code").asText()).isEqualTo("0002");
    }

    @Test
    void aMessageWhoseThirdAttemptDiedWithItsProcessIsDeadLetteredOnItsNextDelivery() throws Exception {
        String teamId = mall.team("e1", "e2");
        Task task = refundWithoutRelease("e2");
        // Three attempts were started and the last one's process died before writing its outcome.
        jdbc.update(
                "INSERT INTO mq_consumption_record (consumer, message_id, routing_key, status, attempts, version, "
                        + "last_error) VALUES ('refund_place_return', ?, ?, 0, 3, 5, 'RedisTimeoutException: timed out')",
                task.webhookId,
                ROUTING_KEY);

        publish(task.webhookId, task.body);

        Message dead = awaitDeadLetter(task.webhookId);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .isEqualTo("out of attempts; last error: RedisTimeoutException: timed out");
        await(() -> Integer.valueOf(2).equals(record(task.webhookId).get("status")));
        assertThat(record(task.webhookId).get("attempts")).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).as("no fourth attempt ran").isEqualTo(2);
    }

    /**
     * The same with a last error as long as a failed attempt records (500 characters: a database exception's text is
     * longer): the dead-letter reason quotes it after "out of attempts; last error: ", 529 characters, more than
     * {@code last_error} holds (512). The record still turns failed and the delivery is acknowledged. Before, strict
     * mode refused the record's update after the copy had landed: the listener threw before its acknowledgement, the
     * delivery stayed unacknowledged on the channel and the record processing, and each later delivery copied it again.
     */
    @Test
    void aMessageOutOfAttemptsWithALongLastErrorIsRecordedDeadAndAcknowledged() throws Exception {
        String teamId = mall.team("h1", "h2");
        Task task = refundWithoutRelease("h2");
        String lastError = "PersistenceException: " + "x".repeat(478);
        jdbc.update(
                "INSERT INTO mq_consumption_record (consumer, message_id, routing_key, status, attempts, version, "
                        + "last_error) VALUES ('refund_place_return', ?, ?, 0, 3, 5, ?)",
                task.webhookId,
                ROUTING_KEY,
                lastError);

        publish(task.webhookId, task.body);

        Message dead = awaitDeadLetter(task.webhookId);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .startsWith("out of attempts; last error: PersistenceException: xxx");
        await(() -> Integer.valueOf(2).equals(record(task.webhookId).get("status")));
        assertThat(record(task.webhookId).get("attempts")).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).as("no fourth attempt ran").isEqualTo(2);
    }

    @Test
    void twentyConcurrentReleasesOfOneOrderGiveOnePlaceBack() throws Exception {
        String teamId = mall.team("f1", "f2", "f3");
        String orderId = refunds.queryOrder(new PartnerOrderKey("s01", "c01", "f3", "out-f3"))
                .getOrderId();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return reservation.releaseOrder(teamId, orderId);
            }));
        }
        start.countDown();
        int gaveBack = 0;
        for (Future<Boolean> call : calls) {
            gaveBack += call.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(gaveBack).isOne();
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
    }

    /**
     * A refund message's id and fields are the publisher's: a line break in them started a line of our log (a forged
     * ERROR, say) in the consumer's warnings, and reached the record's last error and the dead-letter reason as sent.
     * Now each is written escaped, as a partner's answer is (LogSafeText).
     */
    @Test
    void aMessagesIdAndFieldsCannotStartALineOfOurLog(CapturedOutput output) throws Exception {
        String forged = "ERROR forged " + SUFFIX;
        String messageId = "msg_lf_" + SUFFIX + "\n" + forged;
        JsonNode body = JSON.readTree("{\"type\":\"unpaid_unlock\",\"userId\":\"nobody\",\"teamId\":\"99999999\","
                + "\"activityId\":1,\"orderId\":" + JSON.writeValueAsString("999999999999\r\n" + forged)
                + ",\"outTradeNo\":\"out-nobody\"}");

        publish(messageId, body);

        Message dead = awaitDeadLetter(messageId);
        await(() -> Integer.valueOf(2).equals(record(messageId).get("status")));
        assertThat(output.getAll().lines().filter(line -> line.startsWith(forged)))
                .as("no line of our log begins with what the message sent")
                .isEmpty();
        assertThat(output.getAll()).contains("msg_lf_" + SUFFIX + "\\u000a" + forged);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .contains("no order 999999999999\\u000d\\u000a" + forged)
                .doesNotContain("\n");
        assertThat(record(messageId).get("last_error").toString()).doesNotContain("\n");
    }

    @Test
    void aMalformedMessageIsDeadLetteredAtOnce() throws Exception {
        String messageId = "msg_malformed_" + UUID.randomUUID().toString().replace("-", "");
        sendMalformed(messageId);

        Message dead = awaitDeadLetter(messageId);

        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .isEqualTo("malformed: body is not JSON");
        assertThat((Integer) dead.getMessageProperties().getHeader("x-gbm-attempts"))
                .isEqualTo(1);
        await(() -> Integer.valueOf(2).equals(record(messageId).get("status")));
        assertThat(record(messageId).get("attempts")).isEqualTo(1);
    }

    /**
     * A message id longer than a consumption record holds (64 characters; the exchange is shared with the malls, and an
     * operator may move messages back from elsewhere) can never be recorded: it is dead-lettered at once, with the
     * reason, like a message without an id. Before, the record's INSERT IGNORE stored the id cut to 64 characters (a
     * warning, not an error), the attempt then found no record under the whole id, and the message was acknowledged as
     * "another delivery started an attempt": gone, neither handled nor dead-lettered.
     */
    @Test
    void aMessageWhoseIdNoRecordCanHoldIsDeadLetteredAtOnce() throws Exception {
        String messageId =
                "msg_long_" + "x".repeat(56) + UUID.randomUUID().toString().replace("-", "");
        rabbit.send(
                EXCHANGE,
                ROUTING_KEY,
                MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8))
                        .setMessageId(messageId)
                        .setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());

        Message dead = awaitDeadLetter(messageId);

        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .contains("longer than 64");
    }

    /**
     * The dead-letter copy is published mandatory and confirmed before the original is acknowledged: while the
     * dead-letter queue refuses copies (full under {@code reject-publish}) the message is handed back (again and again)
     * and not recorded dead; once the queue takes copies again the copy lands and the record says so. Before, the copy
     * vanished unrouted and the original was acknowledged: the message was gone from the broker.
     */
    @Test
    void aDeadLetterCopyTheBrokerRefusesKeepsTheOriginalUntilItCan() throws Exception {
        String messageId = "msg_refused_" + UUID.randomUUID().toString().replace("-", "");
        RabbitAdmin admin = new RabbitAdmin(rabbit.getConnectionFactory());
        admin.deleteQueue(DEAD);
        admin.declareQueue(
                new Queue(DEAD, true, false, false, Map.of("x-max-length", 0, "x-overflow", "reject-publish")));
        double deadBefore = counter("dead");
        try {
            sendMalformed(messageId);

            // Three deliveries decided "dead" means the first two were handed back, not acknowledged.
            await(() -> counter("dead") >= deadBefore + 3);
            assertThat(record(messageId).get("status")).isEqualTo(0);
            assertThat(record(messageId).get("last_error")).isEqualTo("malformed: body is not JSON");
        } finally {
            admin.deleteQueue(DEAD);
            admin.declareQueue(new Queue(DEAD, true));
        }

        // The delivery that copies it is out of attempts by then, and still says why.
        Message dead = awaitDeadLetter(messageId);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .endsWith("malformed: body is not JSON");
        await(() -> Integer.valueOf(2).equals(record(messageId).get("status")));
        assertThat((Integer) record(messageId).get("attempts")).isBetween(1, 3);
    }

    /**
     * A dead-letter queue that is gone (an operator deleted it, a policy's {@code expires} did) is declared again by the
     * copy that came back unroutable, which then lands: the message is recorded dead at its first dead delivery. Until
     * 2026-12-06 the queue came back only with the next connection, and the message was handed back until then.
     */
    @Test
    void aDeadLetterQueueThatIsGoneIsDeclaredAgainByTheCopy() throws Exception {
        String messageId = "msg_unroutable_" + UUID.randomUUID().toString().replace("-", "");
        new RabbitAdmin(rabbit.getConnectionFactory()).deleteQueue(DEAD);

        sendMalformed(messageId);

        // Recorded dead only once the copy was confirmed on the queue (which a receive from a missing queue cannot
        // await).
        await(() -> Integer.valueOf(2).equals(record(messageId).get("status")));
        Message dead = awaitDeadLetter(messageId);
        assertThat(dead.getMessageProperties().<String>getHeader("x-gbm-dead-reason"))
                .endsWith("malformed: body is not JSON");
    }

    private void sendMalformed(String messageId) {
        rabbit.send(
                EXCHANGE,
                ROUTING_KEY,
                MessageBuilder.withBody("not json".getBytes(StandardCharsets.UTF_8))
                        .setMessageId(messageId)
                        .setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    private record Task(String webhookId, JsonNode body) {}

    /** The refund's transaction only, as when the process dies right after its commit: no Redis release. */
    private Task refundWithoutRelease(String userId) throws Exception {
        MemberOrderView order = refunds.queryOrder(new PartnerOrderKey("s01", "c01", userId, "out-" + userId));
        List<Long> taskIds = refunds.refund(
                MemberRefund.of(order, RefundType.of(order.getOrderStatus(), order.getTeamStatus()), routes));
        // Our refund event (gbm.refund_event on our internal exchange) is the MQ task among what the refund owes.
        Map<String, Object> row = jdbc.queryForMap("SELECT webhook_id, parameter_json FROM notify_task WHERE id IN ("
                + taskIds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                + ") AND notify_type = 'MQ'");
        return new Task(
                row.get("webhook_id").toString(),
                JSON.readTree(row.get("parameter_json").toString()));
    }

    private Task taskOf(String teamId, String category) throws Exception {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT webhook_id, parameter_json FROM notify_task "
                        + "WHERE team_id = ? AND notify_category = ? AND notify_type = 'MQ'",
                teamId,
                category);
        return new Task(
                row.get("webhook_id").toString(),
                JSON.readTree(row.get("parameter_json").toString()));
    }

    /** As the MQ channel publishes a refund task: persistent JSON, message id = the task's webhook-id. */
    private void publish(String messageId, JsonNode body) throws Exception {
        rabbit.send(
                EXCHANGE,
                ROUTING_KEY,
                MessageBuilder.withBody(JSON.writeValueAsBytes(body))
                        .setMessageId(messageId)
                        .setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    private Message awaitDeadLetter(String messageId) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Message message = rabbit.receive(DEAD, 500);
            if (message != null
                    && messageId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        throw new AssertionError("no dead letter " + messageId + " within 15 s");
    }

    private Map<String, Object> record(String messageId) {
        return jdbc
                .queryForList(
                        "SELECT status, attempts, last_error FROM mq_consumption_record WHERE message_id = ?",
                        messageId)
                .stream()
                .findFirst()
                .orElse(Map.of());
    }

    /** Deliveries the consumer has settled so far, whatever the outcome. */
    private double handled() {
        return meters.find("gbm.mq.refund.consumed").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double counter(String outcome) {
        return meters.get("gbm.mq.refund.consumed")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private void awaitHandled(double total) throws InterruptedException {
        await(() -> handled() >= total);
    }

    @Test
    void consumptionRecordPagesPastTheirBoundsAre0002NotAFault() throws Exception {
        assertThat(admin(TOKEN, 200, "page=2147483647").path("code").asText()).isEqualTo("0002");
        assertThat(admin(TOKEN, 200, "size=0").path("info").asText()).contains("size");
    }

    private JsonNode admin(String token, int expectedStatus) throws Exception {
        return admin(token, expectedStatus, "size=200");
    }

    private JsonNode admin(String token, int expectedStatus, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/gbm/admin/mq/consumption-records?" + query))
                .GET();
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
