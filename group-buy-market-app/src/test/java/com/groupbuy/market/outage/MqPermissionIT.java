package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.config.CloseCheckProperties;
import com.groupbuy.market.config.MqPermissionCheck;
import com.groupbuy.market.config.MqProperties;
import com.groupbuy.market.config.RefundConsumerProperties;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRabbitNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Our own broker user's permissions ({@code rabbitmqctl set_permissions}) and the limits on it, staged on a node of
 * this class's own ({@link PrivateRabbitNode}, {@code channel_max = 16}) with the close-check path and the refund
 * consumer on. With the permissions docs/operations.md lists the service starts, its consumers consume and a lane of a
 * new length is declared at runtime. A user whose patterns miss our runtime objects — the delay lanes (declared when
 * the first check of a length goes out), the default exchange (every close check and dead-letter copy), the refund
 * queue (its consumer) —, our default 17 consumers on a connection of 16 channels, or a user limit of fewer channels
 * than our consumers hold (the broker then closes the whole consumer connection) started the service on main; such a
 * start is now refused, naming each: this class's start shows the check runs, and the refusal is the same check called
 * with such a user (a second start of the service cost ~40 s of the suite). A vhost's queue limit met by a new lane at
 * runtime is a failed attempt in the broker's words, the check kept in the outbox.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class MqPermissionIT {

    /** The documented permissions (docs/operations.md, "RabbitMQ permissions and limits our user needs"). */
    static final String CONFIGURE = "^group_buy_market_.*";

    static final String WRITE = "^(group_buy_market_.*|amq\\.default)$";
    static final String READ = "^group_buy_market_.*";

    private static final String USER = "gbm_app";
    private static final String NARROW_USER = "gbm_narrow";
    private static final String PASSWORD = UUID.randomUUID().toString();

    private static final int CHANNEL_MAX = 16;

    // channel_max as a managed broker may set it (RabbitMQ's default: 2047).
    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("channel_max = " + CHANNEL_MAX + "\n");

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        node.rabbit().addUser(USER, PASSWORD);
        node.rabbit().permissions(USER, CONFIGURE, WRITE, READ);
        registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
        registry.add("spring.rabbitmq.username", () -> USER);
        registry.add("spring.rabbitmq.password", () -> PASSWORD);
        registry.add("gbm.close-check.enabled", () -> "true");
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.close-check.concurrency", () -> "2");
        // The default names the documented permissions are written for (a node of this class's own): not the test
        // profile's internal exchange of the context's own.
        registry.add("gbm.mq.internal-exchange", () -> "group_buy_market_internal_exchange");
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    MqProperties mq;

    @Autowired
    RefundConsumerProperties refundConsumer;

    @Autowired
    CloseCheckTopology topology;

    @Autowired
    CloseCheckPublisher publisher;

    @Autowired
    @Qualifier("closeCheckListenerContainer")
    SimpleMessageListenerContainer closeChecks;

    @Autowired
    @Qualifier("refundPlaceListenerContainer")
    SimpleMessageListenerContainer refunds;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Test
    void theDocumentedPermissionsServeEveryObjectOfOurs(CapturedOutput output) throws Exception {
        assertThat(output.getAll())
                .as("the check ran at this context's start, every probe answered")
                .contains(
                        "our RabbitMQ user 'gbm_app': the broker refused none of the service's 13 operations on vhost '/'");
        assertThat(mqChannel.health().getStatus()).isEqualTo(Status.UP);
        await(() -> closeChecks.getActiveConsumerCount() == 2 && refunds.getActiveConsumerCount() == 1);
        // A lane of a length no check used yet: declared now, at runtime, under the documented configure pattern.
        assertThat(topology.lane(Duration.ofSeconds(4321))).endsWith("4321s");
    }

    /**
     * The check itself (as it runs at every start: {@link #theDocumentedPermissionsServeEveryObjectOfOurs}) with all
     * three: a user whose patterns an operator may well write from the names the service shows at start — missing the
     * lanes, the default exchange and the refund queue —, our default 16 close-check consumers plus the refund consumer
     * on a node whose {@code channel_max} is 16, and a user limit of 8 channels (past it the broker closes the whole
     * connection, every consumer on it with it). A start with this user throws this refusal from the same call.
     */
    @Test
    void aUserMissingPermissionsAndLimitsTooLowForOurConsumersIsRefusedNamingEach() throws Exception {
        node.rabbit().addUser(NARROW_USER, PASSWORD);
        node.rabbit()
                .permissions(
                        NARROW_USER,
                        "^group_buy_market_(exchange|internal_exchange|queue_.*)$",
                        "^group_buy_market_.*",
                        "^group_buy_market_(exchange|internal_exchange|queue_close_check.*|close_check\\..*)$");
        node.rabbit().userLimits(NARROW_USER, "{\"max-channels\": 8}");
        CachingConnectionFactory narrow =
                new CachingConnectionFactory("127.0.0.1", node.rabbit().port());
        narrow.setUsername(NARROW_USER);
        narrow.setPassword(PASSWORD);
        // The defaults' consumers: gbm.close-check.concurrency 16 (this class's context runs 2), the refund consumer's
        // 1.
        CloseCheckProperties defaultConsumers = new CloseCheckProperties();
        MqPermissionCheck check = new MqPermissionCheck(
                narrow, mq, refundConsumer, context.getBeanProvider(CloseCheckTopology.class), defaultConsumers);
        Throwable refusal;
        try {
            refusal = catchThrowable(check::afterSingletonsInstantiated);
        } finally {
            narrow.destroy();
        }
        assertThat(refusal)
                .as("the check with a user missing permissions, 17 consumers on 16 channels, a limit of 8")
                .isInstanceOf(IllegalStateException.class);
        assertThat(refusal.getMessage())
                .startsWith("refusing to start: our RabbitMQ user 'gbm_narrow' lacks ")
                .contains("configure and read on the delay lanes 'group_buy_market_close_check.delay.<N>s'")
                .contains("write on exchange 'amq.default'")
                .contains("read on queue 'group_buy_market_queue_2_topic_team_refund' (the refund consumer)")
                .doesNotContain("on queue 'group_buy_market_queue_close_check'")
                .doesNotContain("exchange 'group_buy_market_exchange'")
                .contains("the broker allows 16 channels on a connection (channel_max) and our consumers need 18")
                .contains("gbm.close-check.concurrency 16 + gbm.mq.refund-consumer.concurrency 1")
                .contains("the broker closed the connection after 8")
                .contains("maximum allowed user limit of (8)");
    }

    /**
     * A user limit that holds our consumers' channels (2 close-check consumers, the refund consumer and their declares:
     * 4) but not the publisher connection's on top of them ({@code gbm.mq.publisher-channels}, 16): under load the
     * publisher opened past it and the broker closed the whole publisher connection (530) with every MQ callback and
     * close check published on it (MqPublisherChannelLimitIT). On main the check counted the consumers only and let
     * such a user start; now the start is refused, naming the setting.
     */
    @Test
    void aUserLimitThatHoldsTheConsumersButNotThePublishersChannelsIsRefused() throws Exception {
        String user = "gbm_publisher_limit";
        node.rabbit().addUser(user, PASSWORD);
        node.rabbit().permissions(user, CONFIGURE, WRITE, READ);
        node.rabbit().userLimits(user, "{\"max-channels\": 12}");
        CachingConnectionFactory limited =
                new CachingConnectionFactory("127.0.0.1", node.rabbit().port());
        limited.setUsername(user);
        limited.setPassword(PASSWORD);
        MqPermissionCheck check = new MqPermissionCheck(
                limited,
                mq,
                refundConsumer,
                context.getBeanProvider(CloseCheckTopology.class),
                context.getBean(CloseCheckProperties.class));
        Throwable refusal;
        try {
            refusal = catchThrowable(check::afterSingletonsInstantiated);
        } finally {
            limited.destroy();
        }
        assertThat(refusal)
                .as("the check with a limit of 12 channels: 4 for the consumers, 16 for the publisher")
                .isInstanceOf(IllegalStateException.class);
        assertThat(refusal.getMessage())
                .startsWith("refusing to start: our publisher connection may hold 16 channels at once"
                        + " (gbm.mq.publisher-channels) besides our consumers' 4 and the broker closed it after 8")
                .contains("maximum allowed user limit of (12)")
                .doesNotContain("lacks")
                .doesNotContain("our consumers need");
    }

    /**
     * A vhost's {@code max-queues} reached: the lane of a new length cannot be declared at runtime. The check's publish
     * is a failed attempt with the broker's words (its outbox row stays due, tried again on the backoff), not a
     * delivery: nothing is published into a lane that does not exist.
     */
    @Test
    void aVhostQueueLimitFailsANewLanesCheckWithTheBrokersWords() throws Exception {
        node.rabbit().vhostLimits("{\"max-queues\": 1}");
        try {
            long delay = 5_432_000;
            NotifyTaskVO check = NotifyTaskVO.builder()
                    .id(1)
                    .webhookId("gbm-limit-check")
                    .notifyType("DELAY")
                    .body("{\"closeAt\":" + (System.currentTimeMillis() + delay) + ",\"delayMs\":" + delay + "}")
                    .build();
            DeliveryResult result = publisher.deliverAll(List.of(check)).get(0);
            assertThat(result.delivered()).isFalse();
            assertThat(result.error()).contains("queue limit");
        } finally {
            node.rabbit().vhostLimits("{}");
        }
    }
}
