package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.mq.AmqpNotifyGateway;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerExchanges;
import com.groupbuy.market.support.PrivateRabbitNode;
import com.groupbuy.market.support.TcpProxy;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The publisher's channels against the broker's channel limits, on a node of this class's own
 * ({@link PrivateRabbitNode}, {@code channel_max = 24}, our user limited to {@code max-channels} 22): our consumers (2
 * close-check consumers, the refund consumer and their connection's declares: 4 channels) and the publisher
 * connection's bounded channels (16 by default) fit, with room to spare. A page of 40 isolated partners' callbacks,
 * each published on a channel of its own, in 4 lanes at once: every callback is delivered at its first try, none FAILed
 * or charged a try for a channel the broker would not give. On main each lane opened a channel per partner with
 * confirms outstanding (a channel goes back to the cache only once its confirms arrived), the lanes together past the
 * user's limit: the broker closed the whole publisher connection ({@code 530 NOT_ALLOWED}) with every publish of every
 * lane on it, a try charged to partners that did nothing wrong.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h,1h",
            "gbm.notify.jitter=0",
            "gbm.mq.declare-retry=1h",
            "gbm.notify.page-size=10",
            "gbm.notify.run-lanes=4"
        })
class MqPublisherChannelLimitIT {

    private static final int PARTNERS = 40;
    private static final int ROUNDS = 3;
    private static final String KEY = "topic.team_success";

    @RegisterExtension
    static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(partners());

    private static final String USER = "gbm_app";
    private static final String PASSWORD = UUID.randomUUID().toString();

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("channel_max = 24\n");

    private static TcpProxy proxy;

    private static Map<String, String> partners() {
        Map<String, String> stems = new TreeMap<>();
        for (int i = 0; i < PARTNERS; i++) {
            stems.put(source(i) + ":c01", "gbm_t_chan_" + source(i) + "_");
        }
        return stems;
    }

    private static String source(int i) {
        return String.format("s%02d", i);
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        node.rabbit().addUser(USER, PASSWORD);
        node.rabbit().permissions(USER, ".*", ".*", ".*");
        node.rabbit().userLimits(USER, "{\"max-channels\": 22}");
        proxy = TcpProxy.to(node.rabbit().port());
        EXCHANGES.register(registry);
        registry.add("spring.rabbitmq.port", proxy::port);
        registry.add("spring.rabbitmq.username", () -> USER);
        registry.add("spring.rabbitmq.password", () -> PASSWORD);
        registry.add("gbm.close-check.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.close-check.concurrency", () -> "2");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (proxy != null) {
            proxy.cut();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void manyIsolatedPartnersInSeveralLanesStayWithinTheBrokersChannelLimits() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setPort(node.rabbit().port());
        try (Connection mall = factory.newConnection("mall");
                Channel channel = mall.createChannel()) {
            String queue = "mall_" + UUID.randomUUID().toString().substring(0, 8);
            channel.queueDeclare(queue, true, false, false, null);
            for (int i = 0; i < PARTNERS; i++) {
                String exchange = EXCHANGES.of(source(i) + ":c01");
                channel.exchangeDeclare(exchange, "topic", true);
                channel.queueBind(queue, exchange, KEY);
            }
            String run = UUID.randomUUID().toString().replace("-", "").substring(0, 5);
            // A broker a few milliseconds away, as a managed one is: each confirm comes that much later, and a
            // channel with confirms on their way is taken until they come.
            proxy.delayAnswers(Duration.ofMillis(40));
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PARTNERS; i++) {
                    task(run, round, i);
                }
                ExecutorService runs = Executors.newFixedThreadPool(2);
                try {
                    List<Future<?>> started = new ArrayList<>();
                    for (int r = 0; r < 2; r++) {
                        started.add(runs.submit(() -> notifyService.deliverAllDue()));
                    }
                    for (Future<?> f : started) {
                        f.get();
                    }
                } finally {
                    runs.shutdownNow();
                }
            }
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT team_id, source, notify_status, notify_count, last_error FROM notify_task"
                            + " WHERE team_id LIKE ? ORDER BY source",
                    "c" + run.substring(0, 4) + "%");
            assertThat(rows).hasSize(PARTNERS * ROUNDS);
            assertThat(rows)
                    .as("every isolated partner's callback delivered at its first try")
                    .allSatisfy(row -> {
                        assertThat(((Number) row.get("notify_status")).intValue())
                                .as("%s", row)
                                .isEqualTo(1);
                        assertThat(((Number) row.get("notify_count")).intValue())
                                .as("%s", row)
                                .isEqualTo(1);
                    });
            assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isEqualTo(PARTNERS * ROUNDS);
        }
    }

    /**
     * The bound itself, on a publisher of the test's own with room for one channel and a wait of 10 ms: another
     * lane's page holds the channel, so the page's partners find none in time. They are not sent, no try used and no
     * failure of the broker, due again shortly; on main a checkout that found no channel was a failed attempt for them
     * ("AMQP publish failed: ... No available channels") and for every later publish of the page. (Within one page a
     * partner's group gives its channel back once its confirms came, before the next group publishes.)
     */
    @Test
    void aPublishThatFindsEveryChannelTakenWaitsWithoutATry() throws Exception {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", proxy.port());
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        factory.setChannelCacheSize(1);
        factory.setChannelCheckoutTimeout(10);
        try {
            RabbitTemplate template = new RabbitTemplate(factory);
            template.setMandatory(true);
            Map<String, Map<String, String>> isolated = new TreeMap<>();
            List<NotifyTaskVO> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                isolated.put(source(i), Map.of("c01", EXCHANGES.of(source(i) + ":c01")));
                tasks.add(NotifyTaskVO.builder()
                        .webhookId("gbm-busy-" + i)
                        .teamId("busy" + i)
                        .source(source(i))
                        .channel("c01")
                        .notifyType("MQ")
                        .notifyMq(KEY)
                        .body("{}")
                        .build());
            }
            MqExchangeGuard guard = new MqExchangeGuard(
                    template, EXCHANGES.shared(), EXCHANGES.internal(), isolated, Duration.ofHours(1));
            AmqpNotifyGateway gateway = new AmqpNotifyGateway(
                    template, guard, (source, channel) -> null, Clock.systemUTC(), Duration.ofSeconds(5));
            guard.declare();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService lane = Executors.newSingleThreadExecutor();
            List<DeliveryResult> results;
            try {
                Future<?> other = lane.submit(() -> template.invoke(operations -> operations.execute(channel -> {
                    held.countDown();
                    return release.await(30, TimeUnit.SECONDS);
                })));
                assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
                results = gateway.deliverAll(tasks);
                release.countDown();
                other.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                lane.shutdownNow();
            }
            assertThat(results).as("%s", results).allSatisfy(result -> {
                assertThat(result.notAttempted()).isTrue();
                assertThat(result.endpointWell()).isTrue();
                assertThat(result.error())
                        .startsWith("not sent: every channel of the MQ publisher connection is taken");
            });
        } finally {
            factory.destroy();
        }
    }

    /** A due MQ settlement task of partner {@code i}; its team id. */
    private String task(String run, int round, int i) {
        String teamId = "c" + run.substring(0, 4) + round + String.format("%02d", i); // team_id is VARCHAR(8)
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, ?, 'c01', 'trade_settlement', 'MQ', ?, 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "gbm-chan-" + teamId,
                teamId,
                source(i),
                KEY,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o-" + teamId + "\"]}",
                Timestamp.from(Instant.now().minusSeconds(10)));
        return teamId;
    }
}
