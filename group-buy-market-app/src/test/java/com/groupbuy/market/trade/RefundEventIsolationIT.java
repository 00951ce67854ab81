package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Our own refund event never travels on the partners' exchange (real RabbitMQ, MariaDB, Redis): a mall bound to
 * {@code topic.team_refund}, or to {@code #}, sees no other partner's refund, while our consumer still gives the place
 * back; an MQ partner's refund is delivered only to a queue of the partner, and returned (a retry, not a success) when
 * it bound none. The broker starts as an earlier version left it: our queue bound to the partners' exchange with
 * {@code topic.team_refund}. This class stands in its own partner and internal exchanges (random names).
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class RefundEventIsolationIT {

    private static final String SUFFIX =
            UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String PARTNER_EXCHANGE = "gbm_t_partner_" + SUFFIX;
    private static final String INTERNAL_EXCHANGE = "gbm_t_internal_" + SUFFIX;
    private static final String QUEUE = "gbm_t_refund_" + SUFFIX;
    private static final String DEAD = QUEUE + ".dead";
    private static final AtomicInteger ACTIVITY = new AtomicInteger(16000);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        bindAsAnEarlierVersionDid();
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.exchange", () -> PARTNER_EXCHANGE);
        registry.add("gbm.mq.internal-exchange", () -> INTERNAL_EXCHANGE);
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.exchange", () -> PARTNER_EXCHANGE);
        registry.add("gbm.mq.refund-consumer.queue", () -> QUEUE);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> DEAD);
    }

    /** Our queue bound to the partners' exchange with the partners' refund key, as earlier versions declared it. */
    private static void bindAsAnEarlierVersionDid() {
        MallQueues.onBroker(admin -> {
            TopicExchange partners = new TopicExchange(PARTNER_EXCHANGE, true, false);
            Queue queue = new Queue(QUEUE, true);
            admin.declareExchange(partners);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(partners).with("topic.team_refund"));
        });
    }

    @AfterAll
    static void dropBrokerObjects() {
        MallQueues.onBroker(admin -> {
            admin.deleteQueue(QUEUE);
            admin.deleteQueue(DEAD);
            admin.deleteExchange(PARTNER_EXCHANGE);
            admin.deleteExchange(INTERNAL_EXCHANGE);
        });
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    IRefundRepository refunds;

    @Autowired
    NotifyRoutes routes;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @RegisterExtension
    final MallQueues malls = new MallQueues();

    @Test
    void anHttpPartnersRefundGivesThePlaceBackAndNoMallQueueSeesIt() throws Exception {
        MallQueue refundKey = mall("topic.team_refund");
        MallQueue everything = mall("#");
        TradeClient shop = httpShop();
        String teamId = shop.team("a1", "a2");
        // The refund's transaction only (no after-commit release): the place can come back only through our consumer.
        long eventId = refundWithoutRelease("a2");
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);

        notifyService.deliverAllDue();

        await(() -> counts.redisPlaces(teamId) == 1);
        assertThat(status(eventId)).isEqualTo(1);
        Thread.sleep(500); // a leaked copy would have arrived by now
        assertThat(refundKey.forTeam(teamId)).isEmpty();
        assertThat(everything.forTeam(teamId)).isEmpty();
    }

    @Test
    void aRefundEventAnEarlierVersionWroteStillReachesOurConsumerAndNoMall() throws Exception {
        MallQueue refundKey = mall("topic.team_refund");
        MallQueue everything = mall("#");
        TradeClient shop = httpShop();
        String teamId = shop.team("c1", "c2");
        long eventId = refundWithoutRelease("c2");
        // As earlier versions wrote the event: the partners' refund key, under the same task key.
        jdbc.update("UPDATE notify_task SET notify_mq = 'topic.team_refund' WHERE id = ?", eventId);

        notifyService.deliverAllDue();

        await(() -> counts.redisPlaces(teamId) == 1);
        assertThat(status(eventId)).isEqualTo(1);
        Thread.sleep(500);
        assertThat(refundKey.forTeam(teamId)).isEmpty();
        assertThat(everything.forTeam(teamId)).isEmpty();
    }

    @Test
    void anMqPartnersRefundWithNoQueueOfThePartnerBoundIsReturnedNotDelivered() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/unused");
        String teamId = mqLock(activityId, "b1");
        assertThat(new TradeClient(port, activityId, "g" + activityId, "http://127.0.0.1:9/unused")
                        .refund("b1")
                        .path("data")
                        .path("code")
                        .asText())
                .isEqualTo("success");

        notifyService.deliverAllDue();

        await(() -> status(partnerTask(teamId)) != 0);
        assertThat(status(partnerTask(teamId))).as("RETRY, not SUCCESS").isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT error FROM notify_attempt WHERE task_id = ?", String.class, partnerTask(teamId)))
                .contains("312 NO_ROUTE")
                .contains(PARTNER_EXCHANGE)
                .contains("topic.team_refund");
        await(() -> status(eventTask(teamId)) == 1);
    }

    @Test
    void anMqPartnersRefundReachesItsQueueOnceWithTheContractBodyAndOurConsumerToo() throws Exception {
        MallQueue refundKey = mall("topic.team_refund");
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:9/unused");
        String teamId = mqLock(activityId, "d1");
        assertThat(new TradeClient(port, activityId, "g" + activityId, "http://127.0.0.1:9/unused")
                        .refund("d1")
                        .path("data")
                        .path("code")
                        .asText())
                .isEqualTo("success");

        notifyService.deliverAllDue();

        await(() -> status(partnerTask(teamId)) == 1 && status(eventTask(teamId)) == 1);
        await(() -> refundKey.forTeam(teamId).size() == 1);
        Thread.sleep(500);
        assertThat(refundKey.forTeam(teamId)).hasSize(1);
        MallQueue.Received message = refundKey.forTeam(teamId).get(0);
        JsonNode body = TestJson.JSON.readTree(message.body());
        assertThat(fields(body)).containsExactly("type", "userId", "teamId", "activityId", "orderId", "outTradeNo");
        assertThat(body.path("type").asText()).isEqualTo("unpaid_unlock");
        assertThat(body.path("userId").asText()).isEqualTo("d1");
        assertThat(body.path("outTradeNo").asText()).isEqualTo("out-d1");
        assertThat(message.routingKey()).isEqualTo("topic.team_refund");
        assertThat(message.properties().getMessageId())
                .isEqualTo(jdbc.queryForObject(
                        "SELECT webhook_id FROM notify_task WHERE id = ?", String.class, partnerTask(teamId)));
    }

    private MallQueue mall(String routingKey) throws Exception {
        return malls.bind(PARTNER_EXCHANGE, routingKey);
    }

    private TradeClient httpShop() {
        return TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:9/unused");
    }

    /** A new team of one, locked by a mall of the original platform (notifyType MQ); returns the team id. */
    private String mqLock(long activityId, String userId) throws Exception {
        JsonNode answer = TestJson.postEnvelope(
                port,
                "/api/v1/gbm/trade/lock_market_pay_order",
                "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + activityId + ",\"goodsId\":\"g"
                        + activityId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-" + userId
                        + "\",\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}}");
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
        return answer.path("data").path("teamId").asText();
    }

    /** The refund's transaction only, as when the process dies right after its commit; returns the event's task. */
    private long refundWithoutRelease(String userId) {
        MemberOrderView order = refunds.queryOrder(new PartnerOrderKey("s01", "c01", userId, "out-" + userId));
        List<Long> taskIds = refunds.refund(
                MemberRefund.of(order, RefundType.of(order.getOrderStatus(), order.getTeamStatus()), routes));
        Map<String, Object> row = jdbc.queryForMap("SELECT id FROM notify_task WHERE id IN ("
                + taskIds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                + ") AND notify_type = 'MQ'");
        return ((Number) row.get("id")).longValue();
    }

    private long partnerTask(String teamId) {
        return taskId(teamId, "NOT LIKE '%:mq'");
    }

    private long eventTask(String teamId) {
        return taskId(teamId, "LIKE '%:mq'");
    }

    private long taskId(String teamId, String keyTest) {
        return jdbc.queryForObject(
                "SELECT id FROM notify_task WHERE team_id = ? AND notify_type = 'MQ' "
                        + "AND notify_category <> 'trade_settlement' AND task_key " + keyTest,
                Long.class,
                teamId);
    }

    private int status(long taskId) {
        return jdbc.queryForObject("SELECT notify_status FROM notify_task WHERE id = ?", Integer.class, taskId);
    }
}
