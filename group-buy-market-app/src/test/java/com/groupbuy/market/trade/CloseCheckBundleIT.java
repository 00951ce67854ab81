package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.CloseCheckRecords;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Bundles of close checks (#19, branch mqcost) on the real RabbitMQ, MariaDB and Redis: several checks of one lane in
 * one message expiring at the latest of their deadlines (none consumed before its own), each check consumed under its
 * own consumption record and closed exactly once however often the bundle comes; a check of a bundle that fails is
 * dead-lettered alone and the others still close; a single-check message (as published before bundles) is still
 * consumed. The bundles are made by a {@link CloseCheckPublisher} of the test's own whose lanes dead-letter into a
 * probe queue nobody consumes, so the test sees the message the broker expired and hands it on to the app's consumer.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.timeout.unpaid-timeout=3s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.backstop-margin=2s",
            "gbm.close-check.retry-delay=50ms",
            "gbm.mq.confirm-timeout=3s",
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0"
        })
class CloseCheckBundleIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_bundle_");
    private static final String SUFFIX = QUEUES.suffix();
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();
    private static final String LANES = QUEUES.lanePrefix();
    private static final String PROBE = "gbm_t_bundle_probe_" + SUFFIX;
    private static final String PROBE_LANES = PROBE + ".delay.";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(9300);
    private static final PartnerReceiver REFUNDS = PartnerReceiver.startOrFail();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
        registry.add("gbm.notify.refund-urls.s01.c01", REFUNDS::url);
    }

    @AfterAll
    static void dropBrokerObjects() throws IOException {
        REFUNDS.close();
        QUEUES.delete(QUEUES.lane("3s"), QUEUES.lane("960s"), PROBE, PROBE_LANES + "3s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TeamCounts counts;

    private PartnerReceiver partner;
    private TradeClient mall;
    private CloseCheckPublisher bundler;

    @BeforeEach
    void setUp() throws Exception {
        partner = new PartnerReceiver();
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), partner.url());
        rabbit.execute(channel -> channel.queueDeclare(PROBE, true, false, false, null));
        // A spread wide enough for any two locks of a test on a loaded machine: the grouping is what is tested here.
        bundler = new CloseCheckPublisher(
                rabbit,
                new CloseCheckTopology(
                        rabbit, PROBE, PROBE + ".dead", PROBE_LANES, CloseCheckTopology.Flavour.RABBITMQ),
                Clock.systemUTC(),
                Duration.ofSeconds(3),
                Duration.ofSeconds(5),
                64);
    }

    @AfterEach
    void tearDown() {
        partner.close();
    }

    @Test
    void aBundleExpiresAtItsLatestDeadline_eachOfItsChecksClosesItsOrderExactlyOnce() throws Exception {
        String teamId = mall.team("b1", "b2");
        Map<String, String> b1 = unpaidCheck("b1");
        Map<String, String> b2 = unpaidCheck("b2");
        Instant latest = max(deadline(b1), deadline(b2));
        double handledBefore = handled();

        // The page as the relay hands it over, the later check first: one message for both, in the lane.
        List<DeliveryResult> results = bundler.deliverAll(List.of(task(b2), task(b1)));
        assertThat(results).allMatch(DeliveryResult::delivered);

        Message bundle = awaitMessage(PROBE);
        Instant expiredAt = Instant.now();
        assertThat(rabbit.receive(PROBE)).as("one message for the two checks").isNull();
        assertThat(expiredAt)
                .as("the bundle expires no earlier than its latest check")
                .isAfterOrEqualTo(latest);
        JsonNode body = JSON.readTree(bundle.getBody());
        assertThat(body.path("checks").size()).isEqualTo(2);
        assertThat(List.of(
                        body.path("checks").get(0).path("id").asText(),
                        body.path("checks").get(1).path("id").asText()))
                .as("in deadline order, each with its own id")
                .containsExactly(b1.get("id"), b2.get("id"));
        assertThat(body.path("checks").get(0).path("body")).isEqualTo(JSON.readTree(b1.get("body")));

        // Handed to the app's consumer twice (a redelivery), beside the relay's own single-check copies.
        forward(bundle);
        forward(bundle);
        await(() -> counts.orderStatus("b1") == 2 && counts.orderStatus("b2") == 2);
        await(() -> handled() - handledBefore >= 6);
        await(() -> REFUNDS.callbacksFor("out-b1").size() == 1
                && REFUNDS.callbacksFor("out-b2").size() == 1);
        Thread.sleep(1_000);

        assertThat(REFUNDS.callbacksFor("out-b1"))
                .as("the partner is told once")
                .hasSize(1);
        assertThat(REFUNDS.callbacksFor("out-b2"))
                .as("the partner is told once")
                .hasSize(1);
        assertThat(counts.tasks(teamId, "trade_unpaid2refund", "HTTP")).isEqualTo(2);
        assertThat(recordStatus(b1.get("id"))).isEqualTo(1);
        assertThat(recordStatus(b2.get("id"))).isEqualTo(1);
        assertThat(closedAt("b1")).as("never closed before its deadline").isAfterOrEqualTo(deadline(b1));
        assertThat(closedAt("b2")).as("never closed before its deadline").isAfterOrEqualTo(deadline(b2));
        assertThat(counts.redisPlaces(teamId)).isZero().isEqualTo(counts.lockCount(teamId));
        assertThat(rabbit.receive(DEAD)).isNull();
    }

    @Test
    void aBundleWithFailingChecks_theyAreDeadLetteredAloneAndTheOthersClose() throws Exception {
        mall.team("f1", "f2");
        // Due now (the rows' deadlines rewritten into the past), straight into the close-check queue.
        String f1 = due(unpaidCheck("f1").get("body"));
        String f2 = due(unpaidCheck("f2").get("body"));
        String noOrder = "msg_none_" + SUFFIX;
        String malformed = "msg_bad_" + SUFFIX;
        String bundle = "{\"checks\":["
                + entry(unpaidCheck("f1").get("id"), f1) + ","
                + entry(
                        noOrder,
                        "{\"check\":\"unpaid_order\",\"teamId\":\"00000000\",\"orderId\":\"000000000000\","
                                + "\"closeAt\":1,\"delayMs\":3000}")
                + ","
                + entry(malformed, "{\"check\":\"nope\"}") + ","
                + entry(unpaidCheck("f2").get("id"), f2) + "]}";
        publish(QUEUE, "bundle_" + SUFFIX, bundle);

        Map<String, Message> dead = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message message = awaitMessage(DEAD);
            dead.put(message.getMessageProperties().getMessageId(), message);
        }
        assertThat(dead).containsOnlyKeys(noOrder, malformed);
        assertThat((String) dead.get(noOrder).getMessageProperties().getHeader("x-gbm-dead-reason"))
                .startsWith("no order 000000000000");
        assertThat((String) dead.get(malformed).getMessageProperties().getHeader("x-gbm-dead-reason"))
                .startsWith("malformed: check must be");
        assertThat(JSON.readTree(dead.get(malformed).getBody()))
                .as("the failing check alone, not its bundle")
                .isEqualTo(JSON.readTree("{\"check\":\"nope\"}"));
        await(() -> counts.orderStatus("f1") == 2 && counts.orderStatus("f2") == 2);
        assertThat(recordStatus(noOrder)).isEqualTo(2);
        assertThat(recordStatus(malformed)).isEqualTo(2);

        // The same bundle again (as a redelivery would bring it): every check's record answers; nothing twice.
        double duplicatesBefore = duplicates();
        publish(QUEUE, "bundle_" + SUFFIX, bundle);
        await(() -> duplicates() - duplicatesBefore >= 4);
        await(() -> REFUNDS.callbacksFor("out-f1").size() == 1
                && REFUNDS.callbacksFor("out-f2").size() == 1);
        Thread.sleep(1_000);
        assertThat(rabbit.receive(DEAD)).as("no second dead letter").isNull();
        assertThat(REFUNDS.callbacksFor("out-f1")).hasSize(1);
        assertThat(REFUNDS.callbacksFor("out-f2")).hasSize(1);
    }

    /**
     * No publisher of ours writes more than {@value CloseCheckVO#BUNDLE_MAX_CHECKS} checks a bundle; anyone who can
     * publish to the queue can. One such message of 1,001 entries {@code {}} (6 kB) is one malformed message, one copy on
     * the dead-letter queue: on main each entry was an attempt of its own, dead at once (no id), and copied to the
     * dead-letter queue with the delivery's headers, 1,001 copies awaited one after another by one consumer thread.
     */
    @Test
    void aBundleOfMoreChecksThanAnyPublisherWritesIsDeadLetteredWhole() throws Exception {
        String id = "huge_" + SUFFIX;
        String body = "{\"checks\":[" + String.join(",", Collections.nCopies(CloseCheckVO.BUNDLE_MAX_CHECKS + 1, "{}"))
                + "]}";
        publish(QUEUE, id, body);

        Message dead = awaitMessage(DEAD);
        assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(id);
        assertThat((String) dead.getMessageProperties().getHeader("x-gbm-dead-reason"))
                .startsWith("malformed: a bundle of more than " + CloseCheckVO.BUNDLE_MAX_CHECKS + " checks");
        assertThat(dead.getBody()).as("the whole message").isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        await(() -> recordStatus(id) == 2);
        Thread.sleep(500);
        assertThat(rabbit.receive(DEAD)).as("one copy, not one per entry").isNull();
    }

    @Test
    void aSingleCheckMessageAsPublishedBeforeBundlesIsStillConsumed() throws Exception {
        mall.team("s1");
        Map<String, String> s1 = unpaidCheck("s1");
        publish(QUEUE, s1.get("id"), due(s1.get("body")));

        await(() -> counts.orderStatus("s1") == 2);
        await(() -> recordStatus(s1.get("id")) == 1);
        await(() -> REFUNDS.callbacksFor("out-s1").size() == 1);
    }

    @Test
    void checksFartherApartThanTheSpreadGoInMessagesOfTheirOwn() throws Exception {
        CloseCheckPublisher narrow = new CloseCheckPublisher(
                rabbit,
                new CloseCheckTopology(
                        rabbit, PROBE, PROBE + ".dead", PROBE_LANES, CloseCheckTopology.Flavour.RABBITMQ),
                Clock.systemUTC(),
                Duration.ofSeconds(3),
                Duration.ofMillis(200),
                64);
        long now = System.currentTimeMillis();
        List<DeliveryResult> results = narrow.deliverAll(
                List.of(probeTask("p1", now + 1_000), probeTask("p2", now + 1_100), probeTask("p3", now + 1_500)));
        assertThat(results).allMatch(DeliveryResult::delivered);

        List<JsonNode> bodies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            bodies.add(JSON.readTree(awaitMessage(PROBE).getBody()));
        }
        Thread.sleep(500);
        assertThat(rabbit.receive(PROBE)).isNull();
        assertThat(bodies.get(0).path("checks").size())
                .as("p1 and p2, 100 ms apart")
                .isEqualTo(2);
        assertThat(bodies.get(1).path("checks").isMissingNode())
                .as("p3, 500 ms after p1: alone, its own body")
                .isTrue();
        assertThat(bodies.get(1).path("orderId").asText()).isEqualTo("p3");
    }

    @Test
    void zeroSpreadPublishesOneMessagePerCheck_evenForTheSameDeadline() throws Exception {
        CloseCheckPublisher single = new CloseCheckPublisher(
                rabbit,
                new CloseCheckTopology(
                        rabbit, PROBE, PROBE + ".dead", PROBE_LANES, CloseCheckTopology.Flavour.RABBITMQ),
                Clock.systemUTC(),
                Duration.ofSeconds(3),
                Duration.ZERO,
                64);
        long closeAt = System.currentTimeMillis() + 500;
        assertThat(single.deliverAll(List.of(probeTask("z1", closeAt), probeTask("z2", closeAt))))
                .allMatch(DeliveryResult::delivered);

        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            orders.add(
                    JSON.readTree(awaitMessage(PROBE).getBody()).path("orderId").asText());
        }
        assertThat(orders).containsExactlyInAnyOrder("z1", "z2");
    }

    private static NotifyTaskVO probeTask(String orderId, long closeAt) {
        return NotifyTaskVO.builder()
                .id(0)
                .webhookId("msg_" + orderId + "_" + SUFFIX)
                .notifyType("DELAY")
                .body("{\"check\":\"unpaid_order\",\"teamId\":\"00000000\",\"orderId\":\"" + orderId + "\",\"closeAt\":"
                        + closeAt + ",\"delayMs\":3000}")
                .build();
    }

    private static String entry(String id, String body) {
        return "{\"id\":\"" + id + "\",\"body\":" + body + "}";
    }

    private static String due(String body) {
        return body.replaceAll(
                "\"closeAt\":\\d+",
                "\"closeAt\":" + Instant.now().minusSeconds(1).toEpochMilli());
    }

    private static NotifyTaskVO task(Map<String, String> check) {
        return NotifyTaskVO.builder()
                .id(0)
                .webhookId(check.get("id"))
                .notifyType("DELAY")
                .body(check.get("body"))
                .build();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Map<String, String> unpaidCheck(String userId) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT t.webhook_id, t.parameter_json FROM notify_task t JOIN group_buy_order_list l "
                        + "ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id) WHERE l.user_id = ?",
                userId);
        return Map.of("id", (String) row.get("webhook_id"), "body", (String) row.get("parameter_json"));
    }

    private static Instant deadline(Map<String, String> check) throws IOException {
        return Instant.ofEpochMilli(
                JSON.readTree(check.get("body")).path("closeAt").asLong());
    }

    private Instant closedAt(String userId) {
        return jdbc.queryForObject(
                        "SELECT update_time FROM group_buy_order_list WHERE user_id = ?", Timestamp.class, userId)
                .toInstant();
    }

    private int recordStatus(String messageId) {
        return CloseCheckRecords.status(jdbc, messageId);
    }

    private double handled() {
        return meters.find("gbm.close.check.consumed").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private double duplicates() {
        return meters.find("gbm.close.check.consumed").tag("outcome", "duplicate").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private void forward(Message message) {
        rabbit.send(
                "",
                QUEUE,
                MessageBuilder.withBody(message.getBody())
                        .setContentType("application/json")
                        .setMessageId(message.getMessageProperties().getMessageId())
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    private void publish(String queue, String messageId, String body) {
        CloseCheckRecords.publish(rabbit, queue, messageId, body);
    }

    private Message awaitMessage(String queue) throws InterruptedException {
        Message[] got = new Message[1];
        await(() -> (got[0] = rabbit.receive(queue)) != null);
        return got[0];
    }
}
